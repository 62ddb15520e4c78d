# Accounts that exist when this runs were made before e-mail addresses were confirmed and were reminded at
# their address all along: they get False (not asked to confirm); the model's default True applies to every
# account made afterwards.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_email_confirmation"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_confirmation_required",
            field=models.BooleanField(default=False, verbose_name="must confirm the e-mail address"),
        ),
        migrations.AlterField(
            model_name="user",
            name="email_confirmation_required",
            field=models.BooleanField(default=True, verbose_name="must confirm the e-mail address"),
        ),
    ]
