package io.deepstream.storage.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample against a throw-away PostgreSQL in Docker, with no database set up:
 * {@code mvn -pl sample-app spring-boot:test-run}.
 */
public class TestApplication {

	public static void main(String[] args) {
		SpringApplication.from(SampleApplication::main).with(ContainersConfig.class).run(args);
	}

}
