s unbounded
