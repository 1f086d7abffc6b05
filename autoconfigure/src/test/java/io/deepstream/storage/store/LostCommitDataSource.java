package io.deepstream.storage.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A real pool's connections, whose next {@code commit()}, once armed, fails with a connection error
 * (SQLSTATE 08006) as a {@code COMMIT} whose answer is lost does: after really committing (the
 * server committed, the answer never arrived) or after rolling back (the {@code COMMIT} never arrived).
 * Nothing else is changed: PostgreSQL does the work. Optionally, once the failure has happened, it
 * refuses new connections (08001), as a server that has become unreachable.
 */
final class LostCommitDataSource extends DelegatingDataSource {

	/** What the armed {@code commit()} really does before it fails. */
	enum Fault {

		/** Commits: the transaction is stored, only the answer is lost. */
		COMMIT_THEN_FAIL,

		/** Rolls back: nothing is stored. */
		ROLLBACK_THEN_FAIL

	}

	private final AtomicReference<Fault> armed = new AtomicReference<>();

	private final AtomicInteger commits = new AtomicInteger();

	private final AtomicInteger faults = new AtomicInteger();

	private final AtomicInteger refused = new AtomicInteger();

	private final AtomicInteger connections = new AtomicInteger();

	private volatile boolean refuseAfterFault;

	LostCommitDataSource(DataSource pool) {
		super(pool);
	}

	/** Makes the next {@code commit()} of any connection fail with the given fault. */
	void arm(Fault fault) {
		this.armed.set(fault);
	}

	/** Whether new connections are refused from the fault on (until set false again). */
	void refuseConnectionsAfterTheFault(boolean refuse) {
		this.refuseAfterFault = refuse;
	}

	/** @return how many times {@code commit()} was called, the failed ones included */
	int commits() {
		return this.commits.get();
	}

	/** @return how many armed faults happened */
	int faults() {
		return this.faults.get();
	}

	/** @return how many connections were asked for, the refused ones included */
	int connections() {
		return this.connections.get();
	}

	/** @return how many connections were refused */
	int refused() {
		return this.refused.get();
	}

	@Override
	public Connection getConnection() throws SQLException {
		this.connections.incrementAndGet();
		if (this.refuseAfterFault && this.faults.get() > 0) {
			this.refused.incrementAndGet();
			throw new SQLException("Connection to 127.0.0.1:5432 refused (injected)", "08001");
		}
		Connection connection = super.getConnection();
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					if (method.getName().equals("commit") && method.getParameterCount() == 0) {
						commit(connection);
						return null;
					}
					try {
						return method.invoke(connection, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	private void commit(Connection connection) throws SQLException {
		this.commits.incrementAndGet();
		Fault fault = this.armed.getAndSet(null);
		if (fault == null) {
			connection.commit();
			return;
		}
		if (fault == Fault.COMMIT_THEN_FAIL) {
			connection.commit();
		}
		else {
			connection.rollback();
		}
		this.faults.incrementAndGet();
		throw new SQLException("An I/O error occurred while sending to the backend (injected: " + fault + ")", "08006");
	}

}
