"""The floor of bench/pages.py: a hello-world Flask app, served by the same server with the same settings as the
application, so the ratio of the two throughputs measures the application's own work per request."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """The smallest page Flask serves."""
    return "Hello, World!"
