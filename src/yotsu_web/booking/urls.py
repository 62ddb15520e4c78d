from django.urls import path

from yotsu_web.booking import calendar, schedule, views

app_name = "booking"
urlpatterns = [
    path("c/<slug:slug>/book/", views.start, name="start"),
    path("c/<slug:slug>/book/<int:pk>/", views.slots, name="slots"),
    path("c/<slug:slug>/book/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("c/<slug:slug>/bookings/<int:pk>/", views.booking_page, name="booking"),
    path("c/<slug:slug>/bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("c/<slug:slug>/bookings/<int:pk>/change/", views.change, name="change"),
    path("c/<slug:slug>/calendar/<int:pk>.ics", calendar.feed, name="calendar"),
    path("c/<slug:slug>/desk/calendar-feed/", calendar.feed_settings, name="calendar-feed"),
    path("c/<slug:slug>/desk/schedule/", schedule.schedule, name="schedule"),
    path("c/<slug:slug>/desk/bookings/<int:pk>/mark/", schedule.mark, name="desk-mark"),
    path("c/<slug:slug>/desk/bookings/<int:pk>/cancel/", schedule.cancel, name="desk-cancel"),
    path("c/<slug:slug>/desk/bookings/<int:pk>/move/", schedule.move, name="desk-move"),
]
