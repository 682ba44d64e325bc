s 0
