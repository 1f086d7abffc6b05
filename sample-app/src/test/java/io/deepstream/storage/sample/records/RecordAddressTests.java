package io.deepstream.storage.sample.records;

import io.deepstream.storage.core.RecordKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How {@code /records/{table}/{id}} becomes a record name: decoding, the default table, and the names
 * that are refused before they reach the store.
 */
class RecordAddressTests {

	@Test
	void tableAndIdMakeTheRecordName() {
		assertThat(RecordAddress.parse("cars/bmw", "default")).isEqualTo(new RecordAddress("cars", "bmw", "cars/bmw"));
	}

	@Test
	void anEncodedOrPlainSlashBelongsToTheId() {
		RecordAddress encoded = RecordAddress.parse("cars/a%2Fb%2Fc", "default");
		assertThat(encoded).isEqualTo(new RecordAddress("cars", "a/b/c", "cars/a/b/c"));
		assertThat(RecordAddress.parse("cars/a/b/c", "default")).isEqualTo(encoded);
		assertThat(RecordKey.parse(encoded.key(), "default")).isEqualTo(new RecordKey("cars", "a/b/c"));
	}

	@Test
	void theDefaultTableAddressesNamesWithoutSlash() {
		assertThat(RecordAddress.parse("default/plain", "default").key()).isEqualTo("plain");
		assertThat(RecordAddress.parse("misc/plain", "misc").key()).isEqualTo("plain");
		assertThat(RecordAddress.parse("default/plain", "misc").key()).isEqualTo("default/plain");
	}

	@Test
	void anIdWithSlashInTheDefaultTableKeepsItsTable() {
		RecordAddress address = RecordAddress.parse("default/a%2Fb", "default");
		assertThat(address.key()).isEqualTo("default/a/b");
		assertThat(RecordKey.parse(address.key(), "default")).isEqualTo(new RecordKey("default", "a/b"));
	}

	@Test
	void decodesUtf8AndLeavesPlusAlone() {
		assertThat(RecordAddress.parse("t/%E2%9C%93%20it%27s%3Aa+b%25", "default").id()).isEqualTo("\u2713 it's:a+b%");
		assertThat(RecordAddress.parse("%C3%BCber/x", "default").table()).isEqualTo("\u00fcber");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a:b/x", "a%3Ab/x", "a%2Fb/x", "t/", "default/", "t/%00", "t/%zz", "t/%4", "t/%FF",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/x", "%2F/x", "/x", "t" })
	void refusesInvalidNames(String rawPath) {
		assertThatIllegalArgumentException().isThrownBy(() -> RecordAddress.parse(rawPath, "default"));
	}

	@Test
	void aTableOfSixtyThreeBytesIsFine() {
		String table = "\u00e9".repeat(31) + "x";
		assertThat(RecordAddress.of(table, "id", "default").key()).isEqualTo(table + "/id");
	}

}
