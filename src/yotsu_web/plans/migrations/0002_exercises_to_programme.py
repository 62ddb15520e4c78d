"""The plan's exercises and the exercise log now live in the home programme (programme 0002 moved them)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("programme", "0002_from_plans"),
    ]

    operations = [
        migrations.RemoveField(model_name="planversion", name="exercises"),
        migrations.DeleteModel(name="ExerciseLog"),
    ]
