package io.deepstream.storage.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A live browser of deepstream records: an HTTP API over the auto-configured
 * {@link io.deepstream.storage.store.PostgresRecordStore}, every change in the schema as a
 * Server-Sent Event, and a web page at {@code /} that shows both.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
