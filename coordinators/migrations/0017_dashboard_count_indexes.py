"""Indexes for the dashboard's counts at 100,000 cases: a coordinator's cases by status
covering what the counts read (an index-only scan), the few cases that need attention, the
open municipality questions by case, the recent answers (the menu's badge)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coordinators', '0016_caseevent_undoes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='coordinator_coordin_0a54de_idx',
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['coordinator', 'status'], include=('planning_region', 'next_follow_up', 'id'), name='case_coordinator_work_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('needs_attention', True)), fields=['planning_region', 'coordinator'], name='case_needs_attention_idx'),
        ),
        migrations.AddIndex(
            model_name='municipalityrequest',
            index=models.Index(condition=models.Q(('status', 'open')), fields=['case'], name='request_open_by_case_idx'),
        ),
        migrations.AddIndex(
            model_name='municipalityrequest',
            index=models.Index(condition=models.Q(('status', 'answered')), fields=['answered_at'], name='request_answered_at_idx'),
        ),
    ]
