"""Facebook Pages through the Graph API: posts, comments, the `feed` webhook."""
