package io.deepstream.storage.readme;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.zaxxer.hikari.HikariConfig;
import io.deepstream.storage.autoconfigure.DeepstreamStorageAutoConfiguration;
import io.deepstream.storage.event.NotificationEventBridge;
import io.deepstream.storage.event.RecordInsertedEvent;
import io.deepstream.storage.readme.ReadmeExamples.Example;
import io.deepstream.storage.store.PostgresRecordStore;
import io.deepstream.storage.test.TestDatabase;
import io.deepstream.storage.test.TestSchema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Every Java example of the project's README.md, found anew on each run (see {@link ReadmeExamples}
 * for the kinds of examples and the marks for those that cannot stand alone), is compiled against
 * the project's classes and run against the test database, so that the front door cannot drift from
 * the code. The examples are compiled with the imports of {@link #IMPORTS} (the README shows none),
 * and {@code -parameters}, as Spring Boot's build does.
 * <ul>
 * <li>Statements run as the body of a method with the parameters {@code HikariConfig hikariConfig},
 * {@code String url}, {@code String user} and {@code String password}, which connect to the test
 * database; the schema {@code "ds"} they name is replaced by one of the example's own. They must end,
 * without an exception, within a minute.</li>
 * <li>Types are compiled; their Spring components are started in an application context with the
 * auto-configuration against the test database, which must start; then a record is written to each
 * table an {@code @EventListener} condition names ({@code #event.table == 'cars'}), and every
 * listener, theirs included, must handle the events without an exception.</li>
 * <li>Members are compiled as the body of a class; fragments are not compiled.</li>
 * </ul>
 */
@ExtendWith(TestSchema.class)
class ReadmeExamplesIT {

	static final List<String> IMPORTS = List.of("java.time.*", "java.util.*", "java.util.concurrent.*",
			"java.util.function.*", "com.zaxxer.hikari.*", "tools.jackson.databind.*", "tools.jackson.databind.json.*",
			"io.deepstream.storage.core.*", "io.deepstream.storage.store.*", "io.deepstream.storage.listen.*",
			"io.deepstream.storage.event.*", "io.deepstream.storage.announce.*", "io.deepstream.storage.autoconfigure.*",
			"org.springframework.stereotype.*", "org.springframework.beans.factory.annotation.Autowired",
			"org.springframework.context.annotation.*", "org.springframework.context.event.EventListener");

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(1);

	private static final Pattern TOP_LEVEL_TYPE_NAME = Pattern
		.compile("^(?:public |final |abstract |sealed |non-sealed )*(?:class|record|interface|enum) (\\w+)", Pattern.MULTILINE);

	private static final Pattern TABLE_CONDITION = Pattern.compile("#event\\.table\\s*==\\s*'([^']+)'");

	@TempDir
	static Path classes;

	@TestFactory
	Stream<DynamicTest> everyJavaExampleOfTheReadmeCompilesAndRuns(TestSchema.Name schema) throws IOException {
		List<Example> examples = ReadmeExamples.parse(Files.readString(readme(), StandardCharsets.UTF_8));
		assertThat(examples).as("java blocks in README.md").isNotEmpty();
		return examples.stream().map((example) -> DynamicTest.dynamicTest(example.name(), () -> check(example, schema)));
	}

	private static void check(Example example, TestSchema.Name testSchema) throws Exception {
		// each example in a schema of its own, as if it ran alone
		String schema = testSchema.value() + "_l" + example.line();
		try {
			check(example, schema, testSchema.database());
		}
		finally {
			testSchema.database().dropSchema(schema);
		}
	}

	private static void check(Example example, String schema, TestDatabase database) throws Exception {
		String pkg = "readme.line" + example.line();
		switch (example.kind()) {
			case FRAGMENT -> {
				// marked as not compilable on purpose
			}
			case MEMBERS -> compile(example, pkg, "class Members {\n", example.code(), "}\n");
			case STATEMENTS -> {
				String code = example.code().replace("\"ds\"", "\"" + schema + "\"");
				ClassLoader loader = compile(example, pkg, "public class Example {\n\n\tpublic static void run(HikariConfig"
						+ " hikariConfig, String url, String user, String password) throws Exception {\n", code, "\t}\n\n}\n");
				run(example, loader.loadClass(pkg + ".Example"), database);
			}
			case TYPES -> {
				ClassLoader loader = compile(example, pkg, "", example.code(), "");
				List<Class<?>> components = new ArrayList<>();
				Matcher type = TOP_LEVEL_TYPE_NAME.matcher(example.code());
				while (type.find()) {
					Class<?> declared = loader.loadClass(pkg + "." + type.group(1));
					if (AnnotatedElementUtils.hasAnnotation(declared, Component.class)) {
						components.add(declared);
					}
				}
				if (!components.isEmpty()) {
					start(example, components, schema, database);
				}
			}
		}
	}

	private static ClassLoader compile(Example example, String pkg, String before, String code, String after)
			throws IOException {
		StringBuilder source = new StringBuilder("package ").append(pkg).append(";\n\n");
		IMPORTS.forEach((name) -> source.append("import ").append(name).append(";\n"));
		source.append('\n').append(before);
		long firstLine = source.toString().lines().count() + 1;
		source.append(code).append(after);
		Path sources = classes.resolve("src").resolve(pkg.replace('.', File.separatorChar));
		Path output = classes.resolve("classes-" + example.line());
		Files.createDirectories(sources);
		Files.createDirectories(output);
		Path file = sources.resolve("Example.java");
		Files.writeString(file, source, StandardCharsets.UTF_8);
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		assertThat(compiler).as("a JDK's compiler").isNotNull();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
			boolean compiled = compiler.getTask(null, files, diagnostics, List.of("-classpath", classPath(), "-d",
					output.toString(), "-parameters", "-proc:none", "--release", "17", "-encoding", "UTF-8"), null,
					files.getJavaFileObjects(file.toFile()))
				.call();
			if (!compiled) {
				StringBuilder errors = new StringBuilder();
				diagnostics.getDiagnostics().forEach((diagnostic) -> errors.append("\n  README.md line ")
					.append(example.line() + diagnostic.getLineNumber() - firstLine + 1)
					.append(": ")
					.append(diagnostic.getMessage(null)));
				fail("The example at README.md line " + example.line() + " does not compile:" + errors + "\n\nas compiled:\n"
						+ source);
			}
		}
		return new URLClassLoader(new URL[] { output.toUri().toURL() }, ReadmeExamplesIT.class.getClassLoader());
	}

	private static void run(Example example, Class<?> type, TestDatabase database) throws Exception {
		HikariConfig hikariConfig = new HikariConfig();
		hikariConfig.setJdbcUrl(database.url());
		hikariConfig.setUsername(database.username());
		hikariConfig.setPassword(database.password());
		hikariConfig.setMaximumPoolSize(2);
		ExecutorService thread = Executors.newSingleThreadExecutor((runnable) -> {
			Thread daemon = new Thread(runnable, "readme-example-" + example.line());
			daemon.setDaemon(true);
			return daemon;
		});
		try {
			Future<?> running = thread.submit(() -> {
				type.getMethod("run", HikariConfig.class, String.class, String.class, String.class)
					.invoke(null, hikariConfig, database.url(), database.username(), database.password());
				return null;
			});
			running.get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			fail("The example at README.md line " + example.line() + " did not end within " + RUN_TIMEOUT + " (it hangs)");
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() instanceof java.lang.reflect.InvocationTargetException invocation)
					? invocation.getCause() : ex.getCause();
			throw new AssertionError("The example at README.md line " + example.line() + " failed: " + cause, cause);
		}
		finally {
			thread.shutdownNow();
		}
	}

	private static void start(Example example, List<Class<?>> components, String schema, TestDatabase database) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DeepstreamStorageAutoConfiguration.class))
			.withPropertyValues("deepstream.storage.url=" + database.url(), "deepstream.storage.user=" + database.username(),
					"deepstream.storage.password=" + database.password(), "deepstream.storage.schema=" + schema,
					"deepstream.storage.write-interval=20ms")
			.withUserConfiguration(ListenerErrors.class)
			.withUserConfiguration(components.toArray(Class<?>[]::new))
			.run((context) -> {
				assertThat(context).as("the context of the example at README.md line %d", example.line()).hasNotFailed();
				components.forEach((component) -> assertThat(context).hasSingleBean(component));
				ListenerErrors errors = context.getBean(ListenerErrors.class);
				context.getBean(NotificationEventBridge.class).subscribe().join();
				PostgresRecordStore store = context.getBean(PostgresRecordStore.class);
				Set<String> tables = new LinkedHashSet<>();
				Matcher condition = TABLE_CONDITION.matcher(example.code());
				while (condition.find()) {
					tables.add(condition.group(1));
				}
				tables.add("readme");
				for (String table : tables) {
					store.set(table + "/example", 1, Map.of()).join();
				}
				await().untilAsserted(() -> assertThat(errors.inserted).containsAll(tables));
				assertThat(errors.failures).as("exceptions of event listeners").isEmpty();
			});
	}

	/** Where an event listener's exception goes, and a listener that sees the inserts. */
	@Configuration(proxyBeanMethods = false)
	static class ListenerErrors {

		final List<Throwable> failures = new CopyOnWriteArrayList<>();

		final List<String> inserted = new CopyOnWriteArrayList<>();

		@Bean
		SimpleApplicationEventMulticaster applicationEventMulticaster() {
			SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
			multicaster.setErrorHandler(this.failures::add);
			return multicaster;
		}

		@EventListener
		void onInsert(RecordInsertedEvent event) {
			this.inserted.add(event.getTable());
		}

	}

	/** The project's README.md: in the directory above this module. */
	private static Path readme() {
		for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
			Path candidate = directory.resolve("README.md");
			if (Files.isRegularFile(candidate) && Files.isDirectory(directory.resolve("autoconfigure"))) {
				return candidate;
			}
		}
		throw new IllegalStateException("No README.md beside the autoconfigure module above " + Path.of("").toAbsolutePath());
	}

	/**
	 * The test class path, as a compiler option. Failsafe may hand the JVM a jar whose manifest holds
	 * the real class path: its entries are followed.
	 */
	private static String classPath() {
		Set<String> entries = new LinkedHashSet<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			entries.add(entry);
			if (entry.endsWith(".jar")) {
				entries.addAll(manifestClassPath(Path.of(entry)));
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	private static List<String> manifestClassPath(Path jar) {
		try (JarFile file = new JarFile(jar.toFile())) {
			Manifest manifest = file.getManifest();
			String classPath = (manifest != null) ? manifest.getMainAttributes().getValue("Class-Path") : null;
			if (classPath == null || classPath.isBlank()) {
				return List.of();
			}
			URI base = jar.toAbsolutePath().toUri();
			List<String> entries = new ArrayList<>();
			for (String token : classPath.trim().split("\\s+")) {
				entries.add(Path.of(base.resolve(token)).toString());
			}
			return entries;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the class path of " + jar, ex);
		}
	}

}
