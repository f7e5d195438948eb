"""Values: exceptions, decimal contexts, money, places, time, units, code lists, labels."""
