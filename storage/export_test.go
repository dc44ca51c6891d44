package storage

// Migration reads one embedded migration, for tests that build an older schema.
func Migration(name string) ([]byte, error) { return migrationFiles.ReadFile("migrations/" + name) }
