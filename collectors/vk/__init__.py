"""VK: community and personal walls (wall.get, wall.getComments), live by Long Poll
or the Callback API."""
