"""Problems with a code and a location, the one catalogue, and its translations."""
