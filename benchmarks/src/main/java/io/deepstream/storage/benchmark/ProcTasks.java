package io.deepstream.storage.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The threads of this JVM as Linux lists them in {@code /proc/self/task}, for {@link ThreadCpu} and
 * {@link ThreadSchedule}. Elsewhere there are none.
 */
final class ProcTasks {

	/** What is done with one thread. */
	@FunctionalInterface
	interface Visitor {

		/**
		 * @param name the thread's name as Linux keeps it (its first 15 characters)
		 * @param stat the fields of its {@code stat} line after the name: {@code stat[0]} is field 3 of
		 * proc(5) (the state), {@code stat[7]} the minor faults, {@code stat[11]} and {@code stat[12]}
		 * the user and system CPU in clock ticks
		 * @param task its directory, for its other files
		 */
		void visit(String name, String[] stat, Path task) throws IOException;

	}

	private ProcTasks() {
	}

	/**
	 * Visits every thread; one that ends meanwhile is skipped.
	 * @param visitor what is done with each
	 */
	static void forEach(Visitor visitor) {
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			tasks.forEach((task) -> {
				try {
					String stat = Files.readString(task.resolve("stat"));
					int close = stat.lastIndexOf(')');
					visitor.visit(stat.substring(stat.indexOf('(') + 1, close), stat.substring(close + 2).split(" "), task);
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended meanwhile
				}
			});
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
	}

}
