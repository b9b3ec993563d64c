from admin_cli.main import app

app(prog_name="comdev")
