package io.deepstream.storage.test;

import java.util.UUID;

/**
 * A role of its own for a test, in the shared server (roles belong to the whole cluster, so the name
 * is unique), dropped with everything it owns by {@link #close()}.
 */
public final class TestRole implements AutoCloseable {

	private final TestDatabase database;

	private final String name;

	private final String password;

	private TestRole(TestDatabase database, String name, String password) {
		this.database = database;
		this.name = name;
		this.password = password;
	}

	/**
	 * Creates a role that may log in, with a password, and may create schemas in the test database.
	 * It is no superuser.
	 * @param database the test database
	 * @param prefix a readable prefix of the name
	 * @return the role
	 */
	public static TestRole create(TestDatabase database, String prefix) {
		String name = TestDatabase.uniqueSchemaName(prefix);
		String password = UUID.randomUUID().toString();
		database.execute("CREATE ROLE " + quote(name) + " LOGIN NOSUPERUSER PASSWORD '" + password + "'");
		TestRole role = new TestRole(database, name, password);
		try {
			database.execute("DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO %I', current_database(), '"
					+ name + "'); END $$");
		}
		catch (RuntimeException ex) {
			role.close();
			throw ex;
		}
		return role;
	}

	/**
	 * The role name, valid as an identifier.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The role's password.
	 * @return the password
	 */
	public String password() {
		return this.password;
	}

	/** Drops what the role owns in the test database, its privileges, and the role. */
	@Override
	public void close() {
		this.database.execute("DROP OWNED BY " + quote(this.name) + " CASCADE");
		this.database.execute("DROP ROLE " + quote(this.name));
	}

	private static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	@Override
	public String toString() {
		return this.name;
	}

}
