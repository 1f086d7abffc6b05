package io.deepstream.storage.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import io.deepstream.storage.core.ChangeKind;
import io.deepstream.storage.core.InvalidRecordException;
import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.listen.ListenerConnectionFactory;
import io.deepstream.storage.listen.ListenerOptions;
import io.deepstream.storage.listen.Notification;
import io.deepstream.storage.listen.NotificationListener;
import io.deepstream.storage.test.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Hostile record names and values, generated with jqwik, against a text store and a jsonb store:
 * each record either round-trips exactly (what {@code set} wrote, {@code get} returns, the database
 * holds, and the listener announces with the same table and id) or is rejected with an
 * {@link InvalidRecordException} before anything reaches the database. A model of every accepted
 * write is kept; after every try the touched tables must hold exactly the modelled rows and the
 * schema exactly the modelled tables, and after every property {@code getSchemaOverview} must equal
 * the model.
 * <p>
 * The rules a name or value must follow are written down here independently of the code under test
 * ({@link #problemOfName}, {@link #problemOfValue}): a rejection of something valid fails as surely
 * as an acceptance of something invalid.
 */
class HostileInputIT {

	/** Jackson's default {@code StreamWriteConstraints.maxNestingDepth}. */
	private static final int MAX_DEPTH = 500;

	/** Jackson's default {@code StreamReadConstraints.maxNumberLength}. */
	private static final int MAX_NUMBER_LENGTH = 1000;

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final ObjectReader READER = MAPPER.readerFor(JsonNode.class)
		.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

	/** Pieces that have broken SQL, notification payloads, identifiers or encodings somewhere. */
	private static final List<String> FRAGMENTS = List.of("'", "''", "\"", ";", "--", "/*", "*/", ":", "::", "/", "//",
			" ", "  ", "\t", "\n", "\r\n", "\\", "\\'", "%", "%s", "_", "$$", "$1", "?", "${x}", "é", "ß", "Ж", "中文",
			"عربى", "\u200B", "\uFEFF", "\u2028", "\u0001", "\u007F", "🚗", "👩‍👩‍👧", "🏳️‍🌈", "\u0000", "\uD83D", "\uDE97",
			"a", "Z", "0", "x", "select", "DROP TABLE x", "' OR '1'='1", "UPDATE:t:x", "INSERT:", "pg_", "_pkey");

	/** Table names, reused across tries, among them some that collide in careless code. */
	private static final List<String> TABLES = List.of("cars", "Cars", "CARS", "cars_pkey", "_cars", "cars ", " ", "it's",
			"say \"hi\"", "a;b", "a--b", "🚗", "中文表", "naïve", "x\u200By", "tab\there", "new\nline", "pg_catalog", "default",
			"deepstream_record_change", "count_rows", "%s%n", "$1", "\\", "a.b", "public", "ds", "*");

	private static final AtomicInteger versions = new AtomicInteger();

	/** Whether a try has failed: the model then no longer mirrors the database. */
	private static volatile boolean broken;

	private static HikariDataSource dataSource;

	private static NotificationListener listener;

	private static Target text;

	private static Target jsonb;

	/** One store, its schema, what the listener heard on that schema, and the model of its rows. */
	private static final class Target {

		final String schema;

		final PostgresRecordStore store;

		final boolean jsonb;

		final Set<Notification> heard = ConcurrentHashMap.newKeySet();

		/** table to id to the JSON text last accepted, with its version. */
		final Map<String, Map<String, Row>> model = new ConcurrentHashMap<>();

		Target(String schema, boolean jsonb) {
			this.schema = schema;
			this.jsonb = jsonb;
			this.store = new PostgresRecordStore(dataSource, MAPPER,
					RecordStoreOptions.builder().schema(schema).useJsonb(jsonb).writeInterval(Duration.ofMillis(10)).build());
			this.store.start();
		}

	}

	private record Row(int version, String json) {
	}

	@BeforeContainer
	static void start() throws Exception {
		TestDatabase database = TestDatabase.get();
		dataSource = database.newDataSource(4);
		text = new Target(TestDatabase.uniqueSchemaName("hostile_text"), false);
		jsonb = new Target(TestDatabase.uniqueSchemaName("hostile_jsonb"), true);
		listener = new NotificationListener(
				ListenerConnectionFactory.of(database.url(), database.username(), database.password()),
				ListenerOptions.builder().pollTimeout(Duration.ofMillis(50)).build());
		for (Target target : List.of(text, jsonb)) {
			listener.subscribe(target.heard::add, target.schema);
		}
		listener.start();
		for (Target target : List.of(text, jsonb)) {
			listener.subscribe(target.heard::add, target.schema).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@AfterContainer
	static void stop() {
		if (listener != null) {
			listener.close();
		}
		for (Target target : new Target[] { text, jsonb }) {
			if (target != null) {
				target.store.close();
				TestDatabase.get().dropSchema(target.schema);
			}
		}
		if (dataSource != null) {
			dataSource.close();
		}
	}

	@Property(tries = 50)
	void hostileRecordNamesRoundTripOrAreRejectedBeforeTheDatabase(@ForAll("recordNames") List<String> names,
			@ForAll boolean useJsonb) {
		Target target = useJsonb ? jsonb : text;
		Try attempt = new Try(target);
		boolean failedBefore = broken;
		broken = true; // until this try has passed
		for (String name : names) {
			String problem = problemOfName(name);
			Statistics.label("record names").collect((problem != null) ? "rejected: " + problem : "round-tripped");
			if (problem != null) {
				assertThatExceptionOfType(InvalidRecordException.class).as("%s (%s)", printable(name), problem)
					.isThrownBy(() -> target.store.set(name, 1, JsonNodeFactory.instance.objectNode()))
					.withMessageContaining("Invalid");
				continue;
			}
			attempt.write(name, JsonNodeFactory.instance.objectNode().put("name", name));
		}
		attempt.verify();
		broken = failedBefore;
	}

	@Property(tries = 40)
	void hostileValuesRoundTripOrAreRejectedBeforeTheDatabase(@ForAll("values") List<Value> values,
			@ForAll boolean useJsonb) {
		Target target = useJsonb ? jsonb : text;
		Try attempt = new Try(target);
		boolean failedBefore = broken;
		broken = true; // until this try has passed
		for (JsonNode value : values.stream().map(Value::node).toList()) {
			String name = "values/" + versions.incrementAndGet();
			String problem = problemOfValue(value, useJsonb);
			Statistics.label("values").collect(((problem != null) ? "rejected: it " + problem : "round-tripped")
					+ (useJsonb ? " (jsonb)" : " (text)"));
			if (problem != null) {
				assertThatExceptionOfType(InvalidRecordException.class).as("value rejected because it %s", problem)
					.isThrownBy(() -> target.store.set(name, 1, value))
					.withMessageContaining("Value of record '" + name + "'");
				continue;
			}
			attempt.write(name, value);
		}
		attempt.verify();
		broken = failedBefore;
	}

	@Example
	void aTableNamedLikeTheIndexOfAnotherTableIsATableOfItsOwn() {
		boolean failedBefore = broken;
		broken = true; // until this example has passed
		for (Target target : List.of(text, jsonb)) {
			for (String name : List.of("pk/a", "pk_pkey/b", "pk_pkey_pkey/c")) {
				Try attempt = new Try(target);
				attempt.write(name, JsonNodeFactory.instance.stringNode(name));
				attempt.verify();
			}
			assertThat(target.store.getSchemaOverview()).containsEntry("pk", 1L)
				.containsEntry("pk_pkey", 1L)
				.containsEntry("pk_pkey_pkey", 1L);
		}
		broken = failedBefore;
	}

	@Example
	void anEscapedNulRoundTripsInTextAndIsRejectedForJsonb() {
		boolean failedBefore = broken;
		broken = true; // until this example has passed
		ObjectNode value = JsonNodeFactory.instance.objectNode().put("nul", "a\u0000b").put("\u0000", 0);
		Try attempt = new Try(text);
		attempt.write("nul/text", value);
		attempt.verify();
		assertThat(text.store.query("SELECT val FROM " + Identifiers.qualify(text.schema, "nul")))
			.containsExactly(Map.of("val", "{\"nul\":\"a\\u0000b\",\"\\u0000\":0}"));
		assertThatExceptionOfType(InvalidRecordException.class).isThrownBy(() -> jsonb.store.set("nul/jsonb", 1, value))
			.withMessageContaining("U+0000");
		assertThat(jsonb.store.getSchemaOverview()).doesNotContainKey("nul");
		broken = failedBefore;
	}

	@AfterProperty
	void theSchemasHoldExactlyTheModelledTablesAndRows() {
		if (broken) {
			return; // the failed try is reported, and the model no longer mirrors the database
		}
		for (Target target : List.of(text, jsonb)) {
			Map<String, Long> expected = new TreeMap<>();
			target.model.forEach((table, rows) -> expected.put(table, (long) rows.size()));
			assertThat(new TreeMap<>(target.store.getSchemaOverview())).as("overview of %s", target.schema)
				.isEqualTo(expected);
		}
	}

	/** The accepted writes of one try, checked together after a flush. */
	private static final class Try {

		final Target target;

		/** Every write of this try, by record name (two names can be one record: "x", "default/x"). */
		final List<Map.Entry<String, CompletableFuture<Void>>> futures = new ArrayList<>();

		/** The notification each record's first write of this try must cause. */
		final Map<List<String>, Notification> expectedEvents = new HashMap<>();

		Try(Target target) {
			this.target = target;
		}

		/** Writes and models the write, which must be accepted. */
		void write(String name, JsonNode value) {
			String table = tableOf(name);
			String id = idOf(name);
			Map<String, Row> rows = this.target.model.computeIfAbsent(table, (key) -> new ConcurrentHashMap<>());
			ChangeKind kind = rows.containsKey(id) ? ChangeKind.UPDATE : ChangeKind.INSERT;
			this.expectedEvents.putIfAbsent(List.of(table, id), new Notification(kind, this.target.schema, table, id));
			int version = versions.incrementAndGet();
			this.futures.add(Map.entry(name, this.target.store.set(name, version, value)));
			rows.put(id, new Row(version, MAPPER.writeValueAsString(value)));
		}

		/**
		 * After a flush: every write succeeded, every accepted record reads back, the touched tables
		 * hold exactly the modelled rows, the schema holds exactly the modelled tables, and the
		 * listener announced each record with its table and id.
		 */
		void verify() {
			try {
				this.target.store.flush().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				fail("flush did not complete", ex);
			}
			this.futures.forEach((write) -> assertThat(write.getValue()).as("write of %s", printable(write.getKey()))
				.isCompletedWithValue(null));
			for (String name : this.futures.stream().map(Map.Entry::getKey).toList()) {
				Row row = this.target.model.get(tableOf(name)).get(idOf(name));
				StoredRecord read = this.target.store.get(name);
				assertThat(read.version()).as("version of %s", printable(name)).isEqualTo(row.version());
				assertSameJson(this.target, name, read.value(), row.json());
			}
			Set<String> touched = this.futures.stream().map((write) -> tableOf(write.getKey())).collect(Collectors.toSet());
			for (String table : touched) {
				Map<String, Row> modelled = this.target.model.get(table);
				Map<String, Row> stored = rows(this.target, table);
				assertThat(stored.keySet()).as("ids in %s", printable(table)).isEqualTo(modelled.keySet());
				stored.forEach((id, row) -> {
					Row expected = modelled.get(id);
					String name = table + "/" + id;
					assertThat(row.version()).as("stored version of %s", printable(name)).isEqualTo(expected.version());
					if (this.target.jsonb) {
						assertSameJson(this.target, name, READER.readValue(row.json()), expected.json());
					}
					else {
						assertThat(row.json()).as("stored text of %s", printable(name)).isEqualTo(expected.json());
					}
				});
			}
			assertThat(tables(this.target)).as("tables of %s", this.target.schema).isEqualTo(this.target.model.keySet());
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(this.target.heard).as("notifications")
					.containsAll(this.expectedEvents.values()));
		}

	}

	/**
	 * Text comes back as written; jsonb normalises numbers to plain notation (and drops their sign
	 * when they are zero), so there numbers compare by value.
	 */
	private static void assertSameJson(Target target, String name, @Nullable JsonNode actual, String writtenJson) {
		JsonNode expected = READER.readValue(writtenJson);
		assertThat(actual).as("value of %s", printable(name)).isNotNull();
		if (!target.jsonb) {
			assertThat(actual).as("value of %s", printable(name)).isEqualTo(expected);
			return;
		}
		boolean same = actual.equals((a, b) -> {
			if (a.isNumber() && b.isNumber()) {
				return a.decimalValue().compareTo(b.decimalValue());
			}
			return a.equals(b) ? 0 : 1;
		}, expected);
		assertThat(same).as("value of %s: %s, written %s", printable(name), abbreviate(actual.toString()),
				abbreviate(writtenJson)).isTrue();
	}

	private static Set<String> tables(Target target) {
		return target.store
			.query("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", target.schema)
			.stream()
			.map((row) -> (String) row.get("table_name"))
			.collect(Collectors.toSet());
	}

	private static Map<String, Row> rows(Target target, String table) {
		Map<String, Row> rows = new HashMap<>();
		target.store.query("SELECT id, version, val::text AS val FROM " + Identifiers.qualify(target.schema, table))
			.forEach((row) -> rows.put((String) row.get("id"), new Row((Integer) row.get("version"), (String) row.get("val"))));
		return rows;
	}

	// The rules, written down independently of the code under test.

	private static String tableOf(String name) {
		int slash = name.indexOf('/');
		return (slash < 0) ? RecordStoreOptions.DEFAULT_TABLE : name.substring(0, slash);
	}

	private static String idOf(String name) {
		int slash = name.indexOf('/');
		return (slash < 0) ? name : name.substring(slash + 1);
	}

	/** Why a record name must be rejected, or null if it must round-trip. */
	static @Nullable String problemOfName(String name) {
		String table = tableOf(name);
		String id = idOf(name);
		if (table.isEmpty()) {
			return "empty table";
		}
		if (table.contains(":")) {
			return "':' in the table";
		}
		if (table.contains("\0") || id.contains("\0")) {
			return "NUL";
		}
		if (!isValidUnicode(table) || !isValidUnicode(id)) {
			return "unpaired surrogate";
		}
		if (utf8(table) > 63) {
			return "table longer than 63 bytes";
		}
		if (id.isEmpty()) {
			return "empty id";
		}
		if (utf8(id) > 2692) {
			return "id longer than the primary key holds";
		}
		return null;
	}

	/** Why a value must be rejected, or null if it must round-trip. */
	static @Nullable String problemOfValue(JsonNode value, boolean useJsonb) {
		if (depth(value) > MAX_DEPTH) {
			return "is nested deeper than " + MAX_DEPTH;
		}
		List<JsonNode> leaves = new ArrayList<>();
		List<String> strings = new ArrayList<>();
		collect(value, leaves, strings);
		for (String string : strings) {
			if (!isValidUnicode(string)) {
				return "has an unpaired surrogate";
			}
			if (useJsonb && string.contains("\0")) {
				return "has NUL, which jsonb cannot store";
			}
		}
		for (JsonNode leaf : leaves) {
			if (leaf.isBigInteger() && leaf.bigIntegerValue().abs().toString().length() > MAX_NUMBER_LENGTH) {
				return "has an integer of more than " + MAX_NUMBER_LENGTH + " digits";
			}
			if (useJsonb && leaf.isBigDecimal()) {
				BigDecimal number = leaf.decimalValue();
				long integerDigits = Math.max(1, (long) number.precision() - number.scale());
				long fractionDigits = Math.max(0, number.scale());
				if (integerDigits > 131_072 || fractionDigits > 16_383) {
					return "has a number outside PostgreSQL's numeric range";
				}
				if (1 + integerDigits + ((fractionDigits > 0) ? 1 + fractionDigits : 0) > MAX_NUMBER_LENGTH) {
					return "has a number whose plain notation is too long to read";
				}
			}
		}
		return null;
	}

	private static int depth(JsonNode node) {
		int depth = 0;
		JsonNode current = node;
		// generated values nest one container at a time
		while (current.isContainer()) {
			depth++;
			JsonNode next = null;
			for (JsonNode child : current.values()) {
				if (child.isContainer()) {
					next = child;
				}
			}
			if (next == null) {
				break;
			}
			current = next;
		}
		return depth;
	}

	private static void collect(JsonNode node, List<JsonNode> leaves, List<String> strings) {
		if (node.isObject()) {
			node.properties().forEach((entry) -> {
				strings.add(entry.getKey());
				collect(entry.getValue(), leaves, strings);
			});
		}
		else if (node.isArray()) {
			node.values().forEach((child) -> collect(child, leaves, strings));
		}
		else if (node.isString()) {
			strings.add(node.stringValue());
		}
		else {
			leaves.add(node);
		}
	}

	private static boolean isValidUnicode(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	private static int utf8(String value) {
		return value.codePoints().map((cp) -> (cp < 0x80) ? 1 : (cp < 0x800) ? 2 : (cp < 0x10000) ? 3 : 4).sum();
	}

	private static String printable(String value) {
		StringBuilder shown = new StringBuilder();
		value.chars().forEach((c) -> shown.append((c < 0x20 || Character.isSurrogate((char) c))
				? String.format("\\u%04X", c) : String.valueOf((char) c)));
		return abbreviate(shown.toString());
	}

	private static String abbreviate(String value) {
		return (value.length() > 120) ? value.substring(0, 120) + "...(" + value.length() + " chars)" : value;
	}

	// Generators

	@Provide
	Arbitrary<List<String>> recordNames() {
		Arbitrary<String> qualified = Combinators.combine(tables(), ids()).as((table, id) -> table + "/" + id);
		Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(8, qualified), Tuple.of(1, ids()));
		return name.list().ofMinSize(30).ofMaxSize(70);
	}

	private static Arbitrary<String> tables() {
		return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(TABLES)), Tuple.of(3, fragments(4)),
				Tuple.of(2, sized(Arbitraries.integers().between(58, 68))), Tuple.of(1, Arbitraries.just("")));
	}

	private static Arbitrary<String> ids() {
		return Arbitraries.frequencyOf(Tuple.of(7, fragments(8)),
				Tuple.of(1, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12)),
				Tuple.of(2, sized(Arbitraries.integers().between(2685, 2700))),
				Tuple.of(1, sized(Arbitraries.integers().between(7985, 8010))), Tuple.of(1, Arbitraries.just("")));
	}

	private static Arbitrary<String> fragments(int max) {
		return Arbitraries.of(FRAGMENTS).list().ofMinSize(1).ofMaxSize(max).map((parts) -> String.join("", parts));
	}

	/**
	 * Random text of exactly the given number of UTF-8 bytes, of 1-, 2-, 3- or 4-byte characters
	 * (never '/'), so that PostgreSQL cannot compress it much.
	 */
	private static Arbitrary<String> sized(Arbitrary<Integer> bytes) {
		Arbitrary<String> alphabet = Arbitraries.of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'\";:- *",
				"éèêëàâäôöûüçñßøåæœþðÉÈÀÇÑÆŒЖЗИЙКЛМНОПРСТУФХЦЧШЩ", "中文表字漢語言日本語한국어ひらがなカタカナ",
				"🚗🚕🚙🚌🚎🏎🚓🚑🚒🚐🛻🚚🚛🚜🦽🦼🛴🚲🛵🏍");
		return Combinators.combine(bytes, alphabet, Arbitraries.longs()).as((length, chars, seed) -> {
			int[] codePoints = chars.codePoints().toArray();
			Random random = new Random(seed);
			StringBuilder text = new StringBuilder();
			int used = 0;
			int width = utf8(new String(codePoints, 0, 1));
			while (used + width <= length) {
				text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
				used += width;
			}
			while (used < length) {
				text.append((char) ('a' + random.nextInt(26)));
				used++;
			}
			return text.toString();
		});
	}

	/** A generated value that jqwik can show even when Jackson would refuse to write it. */
	record Value(JsonNode node) {

		@Override
		public String toString() {
			try {
				return abbreviate(printable(this.node.toString()));
			}
			catch (RuntimeException ex) {
				return "(" + depth(this.node) + " levels deep)";
			}
		}

	}

	@Provide
	Arbitrary<List<Value>> values() {
		return Arbitraries.frequencyOf(Tuple.of(3, nested()), Tuple.of(3, strings()), Tuple.of(2, bigIntegers()),
				Tuple.of(3, bigDecimals()), Tuple.of(1, doubles()))
			.map(Value::new)
			.list()
			.ofMinSize(5)
			.ofMaxSize(25);
	}

	private static Arbitrary<JsonNode> strings() {
		return Combinators.combine(fragments(6), fragments(12))
			.as((key, string) -> JsonNodeFactory.instance.objectNode().put(key, string));
	}

	/** Arrays and objects inside each other, mostly near Jackson's depth limit. */
	private static Arbitrary<JsonNode> nested() {
		Arbitrary<Integer> depth = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(1, 60)),
				Tuple.of(3, Arbitraries.integers().between(MAX_DEPTH - 3, MAX_DEPTH + 3)),
				Tuple.of(1, Arbitraries.integers().between(MAX_DEPTH + 4, 2000)));
		return Combinators.combine(depth, fragments(3), Arbitraries.integers()).as((levels, key, leaf) -> {
			JsonNode node = JsonNodeFactory.instance.numberNode(leaf);
			for (int i = 0; i < levels; i++) {
				if (i % 2 == 0) {
					ArrayNode array = JsonNodeFactory.instance.arrayNode();
					node = array.add(i).add(node);
				}
				else {
					ObjectNode object = JsonNodeFactory.instance.objectNode();
					object.set(key, node);
					node = object;
				}
			}
			return node;
		});
	}

	private static Arbitrary<JsonNode> bigIntegers() {
		Arbitrary<Integer> digits = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.integers().between(19, 100)),
				Tuple.of(2, Arbitraries.integers().between(MAX_NUMBER_LENGTH - 3, MAX_NUMBER_LENGTH + 3)),
				Tuple.of(1, Arbitraries.integers().between(100, 5000)));
		return Combinators.combine(digits, Arbitraries.integers().between(1, 9), Arbitraries.of(1, -1))
			.as((count, first, sign) -> JsonNodeFactory.instance
				.numberNode(new BigInteger(first + "7".repeat(count - 1)).multiply(BigInteger.valueOf(sign))));
	}

	/** Unscaled values of up to 40 digits with scales around every limit of jsonb and Jackson. */
	private static Arbitrary<JsonNode> bigDecimals() {
		Arbitrary<Integer> scale = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.integers().between(-40, 40)),
				Tuple.of(2, Arbitraries.integers().between(-1002, -990)), Tuple.of(2, Arbitraries.integers().between(990, 1002)),
				Tuple.of(1, Arbitraries.integers().between(16_380, 16_390)),
				Tuple.of(1, Arbitraries.integers().between(-131_080, -131_060)),
				Tuple.of(1, Arbitraries.integers().between(-1_000_000_000, 1_000_000_000)));
		Arbitrary<BigInteger> unscaled = Arbitraries.bigIntegers()
			.between(new BigInteger("-" + "9".repeat(40)), new BigInteger("9".repeat(40)));
		return Combinators.combine(unscaled, scale)
			.as((digits, exponent) -> JsonNodeFactory.instance.numberNode(new BigDecimal(digits, exponent)));
	}

	private static Arbitrary<JsonNode> doubles() {
		return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.doubles()),
				Tuple.of(1, Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, 1e-300)))
			.map((number) -> JsonNodeFactory.instance.arrayNode().add(number));
	}

}
