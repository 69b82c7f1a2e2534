"""Instagram: the Graph API for professional accounts, instaloader for public ones."""
