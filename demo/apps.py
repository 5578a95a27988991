from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data: the builders that write history as the domain would have, and
    the `seed_demo` command. No models of its own."""

    name = "demo"
