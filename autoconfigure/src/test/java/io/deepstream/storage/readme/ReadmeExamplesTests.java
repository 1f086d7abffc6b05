package io.deepstream.storage.readme;

import java.util.List;

import io.deepstream.storage.readme.ReadmeExamples.Example;
import io.deepstream.storage.readme.ReadmeExamples.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How the README's Java examples are found and sorted ({@code ReadmeExamplesIT} compiles and runs
 * them).
 */
class ReadmeExamplesTests {

	@Test
	void findsEveryJavaBlockWithItsLineAndKind() {
		String markdown = """
				# Title

				```java
				store.set("cars/bmw", 1, Map.of()).join();
				```

				```yaml
				not: java
				```

				```java
				@Service
				class Garage {
				}
				```

				<!-- readme-example: members -->
				```java
				@Bean
				Thing thing() {
				  return new Thing();
				}
				```

				<!-- readme-example: fragment -->
				```java
				store.set(...);
				```
				""";
		List<Example> examples = ReadmeExamples.parse(markdown);
		assertThat(examples).extracting(Example::line).containsExactly(3, 11, 18, 26);
		assertThat(examples).extracting(Example::kind)
			.containsExactly(Kind.STATEMENTS, Kind.TYPES, Kind.MEMBERS, Kind.FRAGMENT);
		assertThat(examples.get(0).code()).isEqualTo("store.set(\"cars/bmw\", 1, Map.of()).join();\n");
		assertThat(examples.get(1).name()).isEqualTo("README.md line 11 (types): @Service");
	}

	@Test
	void anIndentedTypeIsNoTopLevelDeclaration() {
		String markdown = """
				```java
				Runnable task = new Runnable() {
				  class Inner {
				  }
				  @Override
				  public void run() {
				  }
				};
				```
				""";
		assertThat(ReadmeExamples.parse(markdown)).singleElement().extracting(Example::kind).isEqualTo(Kind.STATEMENTS);
	}

	@Test
	void refusesAnUnknownMarkAndAnUnclosedBlock() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ReadmeExamples.parse("<!-- readme-example: skip -->\n```java\nx();\n```\n"))
			.withMessageContaining("line 2")
			.withMessageContaining("members, fragment");
		assertThatIllegalArgumentException().isThrownBy(() -> ReadmeExamples.parse("```java\nx();\n"))
			.withMessageContaining("never closed");
	}

}
