from django.urls import path

from yotsu_web.messaging import views

app_name = "messaging"
urlpatterns = [
    path("c/<slug:slug>/me/messages/", views.thread, name="thread"),
    path("c/<slug:slug>/me/messages/line-code/", views.link_code, name="link-code"),
    path("c/<slug:slug>/desk/patients/<int:pk>/messages/", views.desk_thread, name="desk-thread"),
]
