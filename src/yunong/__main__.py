from yunong.cli import app

# Guarded: processes the app starts (spawn) import this module again.
if __name__ == "__main__":
    app(prog_name="yunong")
