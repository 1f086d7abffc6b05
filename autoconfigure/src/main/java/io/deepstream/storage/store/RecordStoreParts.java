package io.deepstream.storage.store;

import javax.sql.DataSource;

import io.deepstream.storage.schema.SchemaInitializer;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts behind {@link PostgresRecordStore}'s face, built and wired together here, the one place
 * that knows which part needs which: the buffer and its flusher, the batch writer and the table
 * manager behind it, the reads, the write intake, the updates, the schema administration, and the
 * default checker of conditional writes.
 *
 * @param buffer the writes accepted and not yet committed
 * @param statistics the running totals
 * @param flusher takes batches from the buffer and has them written
 * @param administration schemas and raw queries
 * @param reader reads, read-your-writes included
 * @param intake takes writes into the buffer
 * @param updater {@code update}'s read, change and conditional write, retried on conflicts
 * @param checkedInBatch conditional writes checked by PostgreSQL in the batch's statement
 */
record RecordStoreParts(WriteBuffer buffer, StoreStatistics statistics, BatchFlusher flusher,
		SchemaAdministration administration, RecordReader reader, WriteIntake intake, RecordUpdater updater,
		ConditionalWrites checkedInBatch) {

	/**
	 * Builds the parts of a store.
	 * @param dataSource where to write and read
	 * @param jsonMapper how to write and read values
	 * @param options the options
	 * @param observer told about every flush
	 * @param flusherThreads the threads of the flusher
	 * @param admission the store's lifecycle, asked before each write enters the buffer
	 * @return the parts
	 */
	static RecordStoreParts wire(DataSource dataSource, JsonMapper jsonMapper, RecordStoreOptions options,
			RecordStoreObserver observer, BatchFlusher.Threads flusherThreads, WriteIntake.Admission admission) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		JsonCodec json = new JsonCodec(jsonMapper, options.useJsonb());
		RecordStatements.Cache statements = new RecordStatements.Cache(options.schema(), options.useJsonb());
		FlushSignal flushSignal = new FlushSignal();
		WriteBuffer buffer = new WriteBuffer(flushSignal, options.maxBatchSize(), options.maxBufferedWrites(),
				options.whenBufferFull(), options.bufferFullTimeout(), options.versionGuard());
		StoreStatistics statistics = new StoreStatistics(buffer);
		TableManager tables = new TableManager(dataSource, options, statements, statistics);
		BatchWriter writer = new BatchWriter(dataSource, options, statements, tables, statistics, observer, json);
		BatchFlusher flusher = new BatchFlusher(buffer, flushSignal, writer, options.writeInterval(),
				options.flushThreads(), options.maxBatchSize(), flusherThreads);
		SchemaAdministration administration = new SchemaAdministration(jdbc, new SchemaInitializer(dataSource));
		RecordReader reader = new RecordReader(jdbc, statements, buffer, json, options.defaultTable());
		WriteIntake intake = new WriteIntake(buffer, statistics, json, options.defaultTable(), admission);
		RecordUpdater updater = new RecordUpdater(json, options.defaultTable());
		return new RecordStoreParts(buffer, statistics, flusher, administration, reader, intake, updater,
				new BatchCheckedWrites(reader, intake));
	}

}
