"""Policy packs: the seed's numbers and rules as data, validated on load."""
