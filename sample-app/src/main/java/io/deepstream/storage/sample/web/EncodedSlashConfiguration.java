package io.deepstream.storage.sample.web;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets encoded slashes and backslashes ({@code %2F}, {@code %5C}) through Tomcat as they are. By
 * default Tomcat rejects a request whose path contains them; record ids may contain both, and
 * {@code RecordAddress} decodes the raw path itself.
 */
@Configuration(proxyBeanMethods = false)
public class EncodedSlashConfiguration {

	@Bean
	TomcatConnectorCustomizer encodedSlashesPassThrough() {
		return (connector) -> {
			connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
			connector.setEncodedReverseSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
		};
	}

}
