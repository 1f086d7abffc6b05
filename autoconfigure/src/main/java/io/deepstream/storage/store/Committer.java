package io.deepstream.storage.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.deepstream.storage.core.SqlStates;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a write transaction, and when its {@code COMMIT} fails, learns from PostgreSQL whether it
 * committed all the same. A {@code COMMIT} can reach the server and commit there while its answer is
 * lost (the connection broke, the socket timed out, the backend died after committing): writing the
 * batch again would then apply it twice. So the transaction's id is read before the {@code COMMIT}
 * ({@link #transactionId}), and after a failed {@code COMMIT} its status is asked on another connection
 * of the pool: committed, the batch counts as committed; aborted, the failure stands and the batch may
 * be written again; anything else, {@link CommitOutcomeUnknownException}, and nothing is written again.
 */
final class Committer {

	private static final Logger logger = LoggerFactory.getLogger(Committer.class);

	/**
	 * invalid_parameter_value: {@code txid_status} of an id the server has not given out yet ("is in
	 * the future").
	 */
	private static final String INVALID_PARAMETER_VALUE = "22023";

	private final DataSource dataSource;

	private final StoreStatistics statistics;

	Committer(DataSource dataSource, StoreStatistics statistics) {
		this.dataSource = dataSource;
		this.statistics = statistics;
	}

	/**
	 * Reads the id of the connection's transaction; one short statement, run just before the commit.
	 * @param connection a connection in a transaction
	 * @return the id, or null if the transaction has none: it wrote nothing
	 * @throws SQLException as any statement of the transaction
	 */
	static @Nullable Long transactionId(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(RecordStatements.TRANSACTION_ID);
				ResultSet rs = statement.executeQuery()) {
			rs.next();
			long id = rs.getLong(1);
			return rs.wasNull() ? null : id;
		}
	}

	/**
	 * Commits the connection's transaction. When {@code COMMIT} fails, rolls back (which settles the
	 * transaction if {@code COMMIT} never reached a server that still holds it open) and asks PostgreSQL,
	 * on another connection, whether the transaction committed: at once, and again after the retries'
	 * backoff while the server cannot be reached or the transaction is still in progress, each question
	 * after the first one drawing on the batch's retries (the first one too, while any are left).
	 * @param connection the connection, its transaction's statements run
	 * @param transactionId the transaction's id ({@link #transactionId}); null if it wrote nothing, when
	 * a failed {@code COMMIT} leaves nothing that could be applied twice and is not asked about
	 * @param retries the batch's retries
	 * @throws SQLException the {@code COMMIT}'s failure (or a {@code RuntimeException} of the driver's),
	 * when the transaction did not commit: nothing of it is stored, and it may be written again
	 * @throws CommitOutcomeUnknownException when whether it committed could not be learned; its cause is
	 * the {@code COMMIT}'s failure
	 */
	void commit(Connection connection, @Nullable Long transactionId, Retries retries) throws SQLException {
		try {
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			Transactions.rollbackQuietly(connection, ex);
			if (transactionId == null) {
				throw ex;
			}
			this.statistics.commitsInDoubt.increment();
			Answer answer = ask(transactionId, ex, retries);
			switch (answer.status()) {
				case COMMITTED -> logger.info("COMMIT of transaction {} failed ({}), but PostgreSQL says it committed",
						transactionId, ex.getMessage());
				case ABORTED -> {
					logger.debug("COMMIT of transaction {} failed ({}); PostgreSQL says it did not commit", transactionId,
							ex.getMessage());
					throw ex;
				}
				case UNKNOWN -> throw new CommitOutcomeUnknownException("COMMIT failed (" + ex.getMessage()
						+ ") and whether transaction " + transactionId + " committed is unknown: " + answer.reason()
						+ "; its writes may or may not be stored, and are not written again", ex);
			}
		}
	}

	/**
	 * Asks whether the transaction committed, as often as the retries allow.
	 * @param failure the {@code COMMIT}'s failure; each failed question is attached to it
	 */
	private Answer ask(long transactionId, Throwable failure, Retries retries) {
		// The first question goes at once: the server was answering a moment ago.
		if (retries.left()) {
			retries.count();
		}
		while (true) {
			String unknown;
			try {
				String status = status(transactionId);
				if ("committed".equals(status)) {
					return new Answer(Status.COMMITTED, "");
				}
				if ("aborted".equals(status)) {
					return new Answer(Status.ABORTED, "");
				}
				if (status == null) {
					return new Answer(Status.UNKNOWN, "PostgreSQL no longer knows the transaction (too old)");
				}
				// Its backend has not finished it: the COMMIT may still be under way, waiting for a
				// synchronous standby, or may never have arrived while the transaction is held open.
				unknown = "it was still in progress";
			}
			catch (SQLException ex) {
				failure.addSuppressed(ex);
				if (SqlStates.hasState(ex, INVALID_PARAMETER_VALUE)) {
					// This server never gave out that id (after a failover, to a standby that had not
					// received the transaction): nothing of it is in this database.
					return new Answer(Status.ABORTED, "");
				}
				if (!SqlStates.isTransient(ex)) {
					return new Answer(Status.UNKNOWN, "asking PostgreSQL failed: " + ex.getMessage());
				}
				unknown = "PostgreSQL could not be asked: " + ex.getMessage();
			}
			if (!retries.left()) {
				return new Answer(Status.UNKNOWN, unknown + " (after " + retries.made() + " retries)");
			}
			retries.count();
			if (!retries.pause()) {
				return new Answer(Status.UNKNOWN, unknown + " (interrupted)");
			}
		}
	}

	/** The transaction's status, asked on a connection of the pool in auto-commit mode. */
	private @Nullable String status(long transactionId) throws SQLException {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(RecordStatements.TRANSACTION_STATUS)) {
			statement.setLong(1, transactionId);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				return rs.getString(1);
			}
		}
	}

	private enum Status {

		COMMITTED, ABORTED, UNKNOWN

	}

	/** What PostgreSQL said, and if it could not say, why. */
	private record Answer(Status status, String reason) {
	}

}
