package io.deepstream.storage.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that gives a test class a schema name of its own and drops that schema (with
 * everything in it) after the class. Test methods and lifecycle methods receive it as a
 * {@link TestSchema.Name} parameter. The schema itself is created by the code under test, as in
 * production.
 */
public final class TestSchema implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private static final Namespace NAMESPACE = Namespace.create(TestSchema.class);

	/**
	 * The schema of the running test class.
	 *
	 * @param value the schema name
	 * @param database the database it lives in
	 */
	public record Name(String value, TestDatabase database) {

		@Override
		public String toString() {
			return this.value;
		}

	}

	@Override
	public void beforeAll(ExtensionContext context) {
		TestDatabase database = TestDatabase.get();
		String name = TestDatabase.uniqueSchemaName(context.getRequiredTestClass().getSimpleName());
		database.dropSchema(name);
		context.getStore(NAMESPACE).put("schema", new Name(name, database));
	}

	@Override
	public void afterAll(ExtensionContext context) {
		Name name = context.getStore(NAMESPACE).get("schema", Name.class);
		if (name != null) {
			name.database().dropSchema(name.value());
		}
	}

	/**
	 * The schema of the running test class, for another extension that registered this one's callbacks
	 * or runs after them.
	 * @param context the class's or a test's context
	 * @return the schema
	 * @throws IllegalStateException if no {@code TestSchema} ran for the class
	 */
	public static Name of(ExtensionContext context) {
		Name name = context.getStore(NAMESPACE).get("schema", Name.class);
		if (name == null) {
			throw new IllegalStateException("TestSchema is a class-level extension: use @ExtendWith on the class");
		}
		return name;
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == Name.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return of(extensionContext);
	}

}
