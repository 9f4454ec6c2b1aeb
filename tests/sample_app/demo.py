from yunong.demo.steps import Context


def add_notes(context: Context) -> None:
    context.state["sample"] = "样例"
