package io.deepstream.storage.sample.web;

import io.deepstream.storage.store.PostgresRecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells a newcomer, once the application is ready, where the page is and how to write a record.
 */
@Component
public class StartupHint {

	private static final Logger logger = LoggerFactory.getLogger(StartupHint.class);

	private final PostgresRecordStore store;

	public StartupHint(PostgresRecordStore store) {
		this.store = store;
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		// a web application context has its server once it is ready; the null check only keeps NullAway sure
		WebServer server = (event.getApplicationContext() instanceof WebServerApplicationContext web)
				? web.getWebServer() : null;
		if (server != null) {
			String base = "http://localhost:" + server.getPort();
			logger.info("deepstream record browser on {}/ (schema '{}'). Write a record: curl -X PUT -H "
					+ "'Content-Type: application/json' -d '{\"color\":\"blue\"}' {}/records/cars/bmw", base,
					this.store.options().schema(), base);
		}
	}

}
