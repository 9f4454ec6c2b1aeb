"""The web app: pages, the JSON API and the assets they need, all served by Yunong itself."""
