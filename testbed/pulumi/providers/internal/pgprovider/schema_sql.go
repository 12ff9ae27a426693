package pgprovider

// Schema SQL and ids: CREATE SCHEMA and <database>.<name>.

func schemaID(database, name string) string { return database + "." + name }

func createSchemaQuery(name, owner string, ifNotExists bool) string {
	q := "CREATE SCHEMA "
	if ifNotExists {
		q += "IF NOT EXISTS "
	}
	q += quoteIdent(name)
	if owner != "" {
		q += " AUTHORIZATION " + quoteIdent(owner)
	}
	return q
}
