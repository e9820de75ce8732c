"""Pages that compose several apps: the start page, the Zeitraster page, the dashboard
and the directory of participants. The top of the house: it reads every app, and no
app imports it."""
