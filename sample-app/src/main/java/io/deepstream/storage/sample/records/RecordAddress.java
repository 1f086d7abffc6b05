package io.deepstream.storage.sample.records;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.deepstream.storage.core.Identifiers;
import io.deepstream.storage.core.RecordName;

/**
 * Where {@code /records/{table}/{id}} points: a table, an id and the deepstream record name the store
 * is called with. In the default table the record name is the bare id, as deepstream names such
 * records; an id containing {@code /} keeps its table in front, since the name is split at its first
 * {@code /}.
 * <p>
 * The path is decoded here, from the raw request URI, so that an id may contain anything the store
 * accepts, an encoded slash ({@code %2F}) included; an unencoded {@code /} after the table is part of
 * the id too.
 *
 * @param table the table
 * @param id the id in the table
 * @param recordName the record name for the store
 */
public record RecordAddress(String table, String id, String recordName) {

	/**
	 * Reads the address from the part of a raw (still encoded) path after {@code /records/}.
	 * @param rawPath {@code {table}/{id}}, percent-encoded
	 * @param defaultTable the store's default table
	 * @return the address
	 * @throws IllegalArgumentException for a bad encoding, an invalid table or an invalid id
	 */
	public static RecordAddress parse(String rawPath, String defaultTable) {
		int slash = rawPath.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("Expected /records/{table}/{id}, the id is missing");
		}
		return of(decode(rawPath.substring(0, slash)), decode(rawPath.substring(slash + 1)), defaultTable);
	}

	/**
	 * Builds the address of a record and checks it exactly as the store will.
	 * @param table the table
	 * @param id the id
	 * @param defaultTable the store's default table
	 * @return the address
	 * @throws IllegalArgumentException for an invalid table or id
	 */
	public static RecordAddress of(String table, String id, String defaultTable) {
		requireValidTable(table);
		String recordName = (table.equals(defaultTable) && id.indexOf('/') < 0) ? id : table + '/' + id;
		RecordName.parse(recordName, defaultTable);
		return new RecordAddress(table, id, recordName);
	}

	/**
	 * Checks a table name as the store does, and that it contains no {@code /}: the record name would
	 * be split there, and the write would land in another table.
	 * @param table the table
	 * @return the table
	 * @throws IllegalArgumentException if it is invalid
	 */
	public static String requireValidTable(String table) {
		if (table.indexOf('/') >= 0) {
			throw new IllegalArgumentException("Invalid table name '" + table + "': must not contain '/'");
		}
		return Identifiers.requireValidTable(table, table);
	}

	/**
	 * Percent-decodes one part of a path as UTF-8, strictly: {@code +} stays a plus, and a malformed
	 * escape or byte sequence is an error rather than a replacement character.
	 */
	static String decode(String raw) {
		if (raw.indexOf('%') < 0) {
			return raw;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		for (int i = 0; i < raw.length();) {
			int c = raw.codePointAt(i);
			if (c != '%') {
				byte[] utf8 = Character.toString(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(utf8, 0, utf8.length);
				i += Character.charCount(c);
				continue;
			}
			int high = (i + 2 < raw.length()) ? Character.digit(raw.charAt(i + 1), 16) : -1;
			int low = (high >= 0) ? Character.digit(raw.charAt(i + 2), 16) : -1;
			if (low < 0) {
				throw new IllegalArgumentException("Invalid percent-encoding in '" + raw + "' at index " + i);
			}
			bytes.write((high << 4) + low);
			i += 3;
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("'" + raw + "' does not decode to UTF-8 text", ex);
		}
	}

}
