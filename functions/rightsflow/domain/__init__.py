"""The rules of the law and of a request's life, in plain Python with no AWS in it."""
