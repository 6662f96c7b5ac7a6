"""Pure helpers with no Django imports: money, fiscal periods, environment, data files."""
