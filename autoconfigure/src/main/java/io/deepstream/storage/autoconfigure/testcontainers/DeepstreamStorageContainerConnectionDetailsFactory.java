package io.deepstream.storage.autoconfigure.testcontainers;

import io.deepstream.storage.autoconfigure.DeepstreamStorageConnectionDetails;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Connects deepstream's storage to a {@code @ServiceConnection PostgreSQLContainer} in a test or a
 * Testcontainers-backed development application.
 */
class DeepstreamStorageContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<PostgreSQLContainer, DeepstreamStorageConnectionDetails> {

	DeepstreamStorageContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME, "org.testcontainers.postgresql.PostgreSQLContainer");
	}

	@Override
	protected DeepstreamStorageConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<PostgreSQLContainer> source) {
		return new ContainerDetails(source);
	}

	private static final class ContainerDetails extends ContainerConnectionDetails<PostgreSQLContainer>
			implements DeepstreamStorageConnectionDetails {

		private ContainerDetails(ContainerConnectionSource<PostgreSQLContainer> source) {
			super(source);
		}

		@Override
		public String getJdbcUrl() {
			return getContainer().getJdbcUrl();
		}

		@Override
		public String getUsername() {
			return getContainer().getUsername();
		}

		@Override
		public @Nullable String getPassword() {
			return getContainer().getPassword();
		}

	}

}
