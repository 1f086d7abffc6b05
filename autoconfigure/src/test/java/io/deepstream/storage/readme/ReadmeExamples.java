package io.deepstream.storage.readme;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java examples of a Markdown text: every fenced {@code ```java} block, and how it is to be
 * checked. A block is, by default, <em>statements</em> (run as the body of a method) unless it
 * declares a top-level type, then it is <em>types</em> (compiled as a source file, its Spring
 * components started in an application context). A block that cannot stand alone says so in an
 * HTML comment on the line right before its fence:
 * <ul>
 * <li>{@code <!-- readme-example: members -->}: fields, methods or {@code @Bean} methods, compiled
 * as the body of a class, not run;</li>
 * <li>{@code <!-- readme-example: fragment -->}: not compiled at all (pseudo-code, an excerpt with
 * "...").</li>
 * </ul>
 */
final class ReadmeExamples {

	private static final Pattern MARK = Pattern.compile("<!--\\s*readme-example:\\s*([a-z-]+)\\s*-->");

	/** A line that starts a top-level type declaration (at the start of the line: not a nested one). */
	private static final Pattern TOP_LEVEL_TYPE = Pattern
		.compile("^(@\\w+|(public |final |abstract |sealed |non-sealed )*(class|record|interface|enum) )");

	/** How an example is checked. */
	enum Kind {

		/** Run as the body of a method. */
		STATEMENTS,

		/** Compiled as a source file; its Spring components are started. */
		TYPES,

		/** Compiled as the body of a class. */
		MEMBERS,

		/** Not compiled. */
		FRAGMENT

	}

	/**
	 * One example.
	 *
	 * @param line the line of its opening fence (1-based)
	 * @param kind how it is checked
	 * @param code its text
	 */
	record Example(int line, Kind kind, String code) {

		String name() {
			String first = this.code.lines().filter((text) -> !text.isBlank()).findFirst().orElse("").strip();
			return "README.md line " + this.line + " (" + this.kind.name().toLowerCase(Locale.ROOT) + "): " + first;
		}

	}

	private ReadmeExamples() {
	}

	/**
	 * The Java examples of a Markdown text, in order.
	 * @param markdown the text
	 * @return the examples
	 * @throws IllegalArgumentException for an unknown mark or a fence that is never closed
	 */
	static List<Example> parse(String markdown) {
		List<String> lines = markdown.lines().toList();
		List<Example> examples = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			if (!lines.get(i).strip().equals("```java")) {
				continue;
			}
			int start = i;
			StringBuilder code = new StringBuilder();
			for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
				code.append(lines.get(i)).append('\n');
			}
			if (i == lines.size()) {
				throw new IllegalArgumentException("The java block at line " + (start + 1) + " is never closed");
			}
			examples.add(new Example(start + 1, kind(markOf(lines, start), code.toString(), start + 1), code.toString()));
		}
		return examples;
	}

	private static String markOf(List<String> lines, int fence) {
		if (fence == 0) {
			return "";
		}
		Matcher mark = MARK.matcher(lines.get(fence - 1));
		return mark.find() ? mark.group(1) : "";
	}

	private static Kind kind(String mark, String code, int line) {
		return switch (mark) {
			case "" -> code.lines().anyMatch((text) -> TOP_LEVEL_TYPE.matcher(text).find()) ? Kind.TYPES : Kind.STATEMENTS;
			case "members" -> Kind.MEMBERS;
			case "fragment" -> Kind.FRAGMENT;
			default -> throw new IllegalArgumentException("Unknown mark 'readme-example: " + mark + "' before the java block at line "
					+ line + " (known: members, fragment)");
		};
	}

}
