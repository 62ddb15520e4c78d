from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """Yotsu's user. A custom model from the start so fields can be added without a data migration."""
