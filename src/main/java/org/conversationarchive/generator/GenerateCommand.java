package org.conversationarchive.generator;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.system.Futures;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code generate}: writes generated conversations as NDJSON, the format of the bulk API,
 * without starting the service. Conversations are made and serialized in parallel chunks
 * and written in order, so the output is the same however many cores there are.
 */
public final class GenerateCommand {

	static final String USAGE = """
			usage: generate --count N [--seed S] [--out FILE] [--contact ID | --contacts N] [--from INSTANT] [--to INSTANT]
			  --count N      how many conversations (required)
			  --seed S       seed; the same seed and options give the same output (default 1)
			  --out FILE     write to FILE instead of standard output
			  --contact ID   give every conversation this contact id
			  --contacts N   number of distinct contacts (default count/4)
			  --from INSTANT earliest startedAt, e.g. 2024-01-01T00:00:00Z or 2024-01-01 (default 2024-01-01T00:00:00Z)
			  --to INSTANT   latest startedAt, e.g. 2025-12-31T23:59:59Z or 2025-12-31 (default 2025-12-31T23:59:59Z)""";

	private static final int CHUNK = 256;

	private GenerateCommand() {
	}

	/**
	 * Runs the command and exits: 0 when done, 1 when the output cannot be written, 2 for
	 * bad arguments.
	 * @param args the arguments after {@code generate}
	 */
	public static void main(String[] args) {
		int status = run(args, System.out, System.err);
		System.out.flush();
		if (status != 0) {
			System.exit(status);
		}
	}

	/**
	 * Runs the command.
	 * @param args the arguments after {@code generate}
	 * @param stdout where the conversations go without {@code --out}
	 * @param stderr where the summary and errors go
	 * @return the exit status: 0 when done, 1 when the output cannot be written, 2 for
	 * bad arguments
	 */
	static int run(String[] args, PrintStream stdout, PrintStream stderr) {
		Arguments arguments;
		try {
			arguments = Arguments.parse(args);
		}
		catch (IllegalArgumentException ex) {
			stderr.println("generate: " + ex.getMessage());
			stderr.println(USAGE);
			return 2;
		}
		if (arguments == null) {
			stdout.println(USAGE);
			return 0;
		}
		long start = System.nanoTime();
		long bytes;
		try {
			if (arguments.out() != null) {
				try (OutputStream out = Files.newOutputStream(arguments.out())) {
					bytes = write(arguments, out);
				}
			}
			else {
				bytes = write(arguments, stdout);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			stderr.println("generate: cannot write " + ((arguments.out() != null) ? arguments.out() : "the output")
					+ ": " + ex.getMessage());
			return 1;
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		ConversationGenerator.Options options = arguments.options();
		stderr.printf(Locale.ROOT, "generated %d conversations (seed %d, %s, startedAt %s..%s) to %s: %s in %.1f s%n",
				options.count(), arguments.seed(),
				(options.contactId() != null) ? "contact " + options.contactId()
						: Math.min(options.contacts(), Math.max(1, options.count())) + " contacts",
				options.from(), options.to(), (arguments.out() != null) ? arguments.out() : "stdout", size(bytes),
				seconds);
		return 0;
	}

	private static String size(long bytes) {
		return (bytes < 1_000_000) ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
				: String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
	}

	/**
	 * The JSON the API accepts: no nulls, instants as ISO-8601 strings, enums by their
	 * JSON values.
	 * @return the mapper
	 */
	static JsonMapper jsonMapper() {
		return JsonMapper.builder()
			.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
			.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
			.build();
	}

	private static long write(Arguments arguments, OutputStream target) throws IOException {
		ConversationGenerator generator = new ConversationGenerator(arguments.seed(), arguments.options());
		ObjectWriter writer = jsonMapper().writerFor(Conversation.class);
		long count = arguments.options().count();
		int threads = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 8);
		OutputStream out = new BufferedOutputStream(target, 1 << 20);
		long bytes = 0;
		try (ExecutorService executor = Executors.newFixedThreadPool(threads, (task) -> {
			Thread thread = new Thread(task, "generate");
			thread.setDaemon(true);
			return thread;
		})) {
			// A bounded window of chunks in flight: the cores stay busy, memory stays
			// small.
			ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
			long next = 0;
			while (next < count || !pending.isEmpty()) {
				while (next < count && pending.size() < threads * 4) {
					long from = next;
					long to = Math.min(count, from + CHUNK);
					pending.add(executor.submit(() -> chunk(generator, writer, from, to)));
					next = to;
				}
				byte[] chunk = Futures.await(pending.removeFirst());
				out.write(chunk);
				bytes += chunk.length;
				// A PrintStream swallows write errors: stop when the reader has gone (|
				// head).
				if (target instanceof PrintStream print && print.checkError()) {
					throw new IOException("the output was closed");
				}
			}
			out.flush();
			executor.shutdownNow();
		}
		return bytes;
	}

	private static byte[] chunk(ConversationGenerator generator, ObjectWriter writer, long from, long to) {
		ByteArrayOutputStream chunk = new ByteArrayOutputStream((int) (to - from) * 4096);
		for (long index = from; index < to; index++) {
			writer.writeValue(chunk, generator.conversation(index));
			chunk.write('\n');
		}
		return chunk.toByteArray();
	}

	/**
	 * The parsed arguments.
	 */
	record Arguments(long seed, ConversationGenerator.Options options, @Nullable Path out) {

		/**
		 * Reads the arguments.
		 * @param args the arguments after {@code generate}
		 * @return the arguments, or {@code null} when help was asked for
		 * @throws IllegalArgumentException naming what is wrong
		 */
		static @Nullable Arguments parse(String[] args) {
			Long count = null;
			long seed = 1;
			Path out = null;
			String contact = null;
			Long contacts = null;
			Instant from = ConversationGenerator.DEFAULT_FROM;
			Instant to = ConversationGenerator.DEFAULT_TO;
			for (int i = 0; i < args.length; i++) {
				String name = args[i];
				String value;
				int equals = name.indexOf('=');
				if (name.startsWith("--") && equals > 0) {
					value = name.substring(equals + 1);
					name = name.substring(0, equals);
				}
				else if (name.equals("--help") || name.equals("-h")) {
					return null;
				}
				else if (!name.startsWith("--")) {
					throw new IllegalArgumentException("unexpected argument '" + name + "'");
				}
				else if (i + 1 >= args.length) {
					throw new IllegalArgumentException(name + " needs a value");
				}
				else {
					value = args[++i];
				}
				switch (name) {
					case "--count" -> count = number(name, value, 0);
					case "--seed" -> seed = number(name, value, Long.MIN_VALUE);
					case "--out" -> out = path(value);
					case "--contact" -> contact = contact(value);
					case "--contacts" -> contacts = number(name, value, 1);
					case "--from" -> from = instant(name, value, false);
					case "--to" -> to = instant(name, value, true);
					default -> throw new IllegalArgumentException("unknown option '" + name + "'");
				}
			}
			if (count == null) {
				throw new IllegalArgumentException("--count is required");
			}
			if (contact != null && contacts != null) {
				throw new IllegalArgumentException("--contact and --contacts cannot be used together");
			}
			if (from.isAfter(to)) {
				throw new IllegalArgumentException("--from " + from + " is after --to " + to);
			}
			ConversationGenerator.Options options = ConversationGenerator.Options.of(count)
				.withRange(from, to)
				.withContactId(contact);
			if (contacts != null) {
				options = options.withContacts(contacts);
			}
			return new Arguments(seed, options, out);
		}

		private static long number(String name, String value, long min) {
			long number;
			try {
				number = Long.parseLong(value.trim().replace("_", ""));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(name + " '" + value + "' is not a whole number");
			}
			if (number < min) {
				throw new IllegalArgumentException(name + " must be at least " + min + ", not " + number);
			}
			return number;
		}

		private static Path path(String value) {
			if (value.isBlank()) {
				throw new IllegalArgumentException("--out needs a file name");
			}
			try {
				return Path.of(value);
			}
			catch (InvalidPathException ex) {
				throw new IllegalArgumentException("--out '" + value + "' is not a valid path");
			}
		}

		private static String contact(String value) {
			if (value.isBlank() || value.length() > 1024) {
				throw new IllegalArgumentException("--contact must be 1 to 1024 characters");
			}
			return value;
		}

		private static Instant instant(String name, String value, boolean endOfDay) {
			try {
				return Instant.parse(value);
			}
			catch (DateTimeParseException ex) {
				try {
					LocalDate day = LocalDate.parse(value);
					return endOfDay ? day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1)
							: day.atStartOfDay(ZoneOffset.UTC).toInstant();
				}
				catch (DateTimeParseException notADate) {
					throw new IllegalArgumentException(name + " '" + value
							+ "' is not an ISO-8601 instant or date, such as 2024-01-01T00:00:00Z or 2024-01-01");
				}
			}
		}

	}

}
