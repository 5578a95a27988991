"""The cases waiting for the person's decision (a sent offer), counted on the dashboard."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('offers', '0005_offer_superseded_answer_by'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='offer',
            index=models.Index(condition=models.Q(('status', 'sent')), fields=['case'], name='offer_sent_by_case_idx'),
        ),
    ]
