package io.deepstream.storage.announce;

import java.util.ArrayList;
import java.util.List;

/**
 * The deepstream record names of rows: {@code table/id}, and for a row of the default table whose id
 * has no {@code /} also the bare id, since deepstream stores both {@code x} and {@code default/x} in
 * that row and a client may hold either name.
 */
final class RecordNames {

	private RecordNames() {
	}

	static List<String> of(String table, List<String> ids, String defaultTable) {
		boolean defaultTableRows = table.equals(defaultTable);
		List<String> names = new ArrayList<>(defaultTableRows ? 2 * ids.size() : ids.size());
		String prefix = table + '/';
		for (String id : ids) {
			names.add(prefix + id);
			if (defaultTableRows && id.indexOf('/') < 0) {
				names.add(id);
			}
		}
		return names;
	}

}
