"""Reads on the domain. Every read of cases starts from `Case.objects.visible_to(user)`."""
