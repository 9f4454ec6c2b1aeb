from yunong.cli import app

app(prog_name="yunong")
