package io.deepstream.storage.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * {@link DeepstreamStorageConnectionDetails} from {@link DeepstreamStorageProperties}: {@code url}, or
 * {@code host}, {@code port} and {@code database}, with {@code user} and {@code password}.
 */
class PropertiesDeepstreamStorageConnectionDetails implements DeepstreamStorageConnectionDetails {

	private final DeepstreamStorageProperties properties;

	PropertiesDeepstreamStorageConnectionDetails(DeepstreamStorageProperties properties) {
		this.properties = properties;
	}

	@Override
	public String getJdbcUrl() {
		return this.properties.determineUrl();
	}

	@Override
	public String getUsername() {
		return this.properties.getUser();
	}

	@Override
	public @Nullable String getPassword() {
		return this.properties.getPassword();
	}

}
