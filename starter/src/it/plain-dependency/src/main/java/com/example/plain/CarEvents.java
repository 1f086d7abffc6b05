package com.example.plain;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.deepstream.storage.event.RecordInsertedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** An application bean that reacts to deepstream changes as any Spring application event. */
@Component
public class CarEvents {

	private final List<String> inserted = new CopyOnWriteArrayList<>();

	@EventListener(condition = "#event.table == 'cars'")
	void onInsert(RecordInsertedEvent event) {
		this.inserted.add(event.getRecordName());
	}

	public List<String> inserted() {
		return this.inserted;
	}

}
