from django.urls import path

from yotsu_web.booking import calendar, views

app_name = "booking"
urlpatterns = [
    path("c/<slug:slug>/book/", views.start, name="start"),
    path("c/<slug:slug>/book/<int:pk>/", views.slots, name="slots"),
    path("c/<slug:slug>/book/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("c/<slug:slug>/bookings/<int:pk>/", views.booking_page, name="booking"),
    path("c/<slug:slug>/bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("c/<slug:slug>/calendar/<int:pk>.ics", calendar.feed, name="calendar"),
    path("c/<slug:slug>/desk/calendar-feed/", calendar.feed_settings, name="calendar-feed"),
]
