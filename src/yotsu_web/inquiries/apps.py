from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "yotsu_web.inquiries"
    label = "inquiries"
