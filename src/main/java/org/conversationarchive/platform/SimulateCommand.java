package org.conversationarchive.platform;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * {@code simulate}: runs the reference agent platform against an archive, without
 * starting the service: it plays generated conversations live through the ingest API and
 * takes the archive's actions on them.
 */
public final class SimulateCommand {

	static final String USAGE = """
			usage: simulate --archive URL --key KEY --secret SECRET [--port 8090] [--concurrent 5] [--speed 1] [--count 0] [--seed 1]
			  --archive URL    the archive, e.g. http://localhost:8080 (required)
			  --key KEY        an API key of the ingest role of the org to play for (required)
			  --secret SECRET  the secret the archive signs actions with, 16 to 200 characters (required)
			  --port N         the port of the action endpoint, on 127.0.0.1; 0 for any (default 8090)
			  --concurrent N   conversations the AI agent plays at once (default 5)
			  --speed X        how much faster than real time; messages come every 0.5-8 s at 1 (default 1)
			  --count N        conversations to play in all, then stop; 0 plays until stopped (default 0)
			  --seed S         which conversations: the same seed plays the same ones (default 1)""";

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

	private SimulateCommand() {
	}

	/**
	 * Runs the command: until stopped, or until it played {@code --count} conversations.
	 * Exits with 1 when it cannot start, 2 for bad arguments.
	 * @param args the arguments after {@code simulate}
	 */
	public static void main(String[] args) {
		int status = run(args, System.out, System.err);
		System.out.flush();
		if (status != 0) {
			System.exit(status);
		}
	}

	static int run(String[] args, PrintStream out, PrintStream err) {
		Arguments arguments;
		try {
			arguments = Arguments.parse(args);
		}
		catch (IllegalArgumentException ex) {
			err.println("simulate: " + ex.getMessage());
			err.println(USAGE);
			return 2;
		}
		if (arguments == null) {
			out.println(USAGE);
			return 0;
		}
		String unreachable = check(arguments);
		if (unreachable != null) {
			err.println("simulate: " + unreachable);
			return 1;
		}
		ReferencePlatform platform = new ReferencePlatform(arguments.archive(), arguments.key(), arguments.secret(),
				arguments.port(), (line) -> err.println(LocalTime.now().format(CLOCK) + " " + line));
		try {
			platform.start();
		}
		catch (UncheckedIOException ex) {
			err.println("simulate: " + ex.getMessage() + " (--port 0 takes any free port)");
			return 1;
		}
		Thread closing = new Thread(platform::close, "simulate-stop");
		Runtime.getRuntime().addShutdownHook(closing);
		Player.Options options = arguments.options();
		out.printf(Locale.ROOT,
				"""
						The reference agent platform takes actions at %s
						Point the archive at it, as an administrator of the org of the ingest key:
						  curl -X PUT %s/api/v1/gateway/platform -H 'Authorization: Bearer <admin key>' \\
						    -H 'Content-Type: application/json' -d '{"url": "%s", "secret": "<the --secret>"}'
						  (an address on this machine: start the archive with ARCHIVE_GATEWAY_ALLOW_PRIVATE_ADDRESSES=true)
						Playing %s, %d at a time, at speed %s (seed %d) into %s; Ctrl-C stops, ending those still going as failed.
						""",
				platform.url(), arguments.archive(), platform.url(),
				(options.count() == 0) ? "conversations until stopped" : options.count() + " conversations",
				options.concurrent(), format(options.speed()), options.seed(), arguments.archive());
		out.flush();
		Player player = platform.play(options);
		try {
			while (!player.awaitFinished(Duration.ofDays(365))) {
				// Playing until stopped.
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Runtime.getRuntime().removeShutdownHook(closing);
		platform.close();
		out.println("Played " + player.conversationIds().size() + " conversations.");
		return 0;
	}

	/**
	 * Why the archive cannot be played into: unreachable, or the key refused.
	 */
	private static @Nullable String check(Arguments arguments) {
		String base = arguments.archive().replaceAll("/+$", "");
		try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
			HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/me"))
				.timeout(Duration.ofSeconds(10))
				.header("Authorization", "Bearer " + arguments.key())
				.GET()
				.build(), HttpResponse.BodyHandlers.discarding());
			if (answer.statusCode() == 401) {
				return "the archive at " + base + " refused the key (401): give an API key of its ingest role";
			}
			return null;
		}
		catch (IOException ex) {
			// The JDK client's connection errors often carry no message.
			return "cannot reach the archive at " + base + ": "
					+ ((ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private static String format(double speed) {
		return (speed == Math.rint(speed)) ? Long.toString((long) speed) : Double.toString(speed);
	}

	/**
	 * The parsed arguments.
	 */
	record Arguments(String archive, String key, String secret, int port, Player.Options options) {

		/**
		 * Reads the arguments.
		 * @param args the arguments after {@code simulate}
		 * @return the arguments, or {@code null} when help was asked for
		 * @throws IllegalArgumentException naming what is wrong
		 */
		static @Nullable Arguments parse(String[] args) {
			String archive = null;
			String key = null;
			String secret = null;
			int port = 8090;
			int concurrent = 5;
			double speed = 1;
			long count = 0;
			long seed = 1;
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
					case "--archive" -> archive = url(value);
					case "--key" -> key = required(name, value);
					case "--secret" -> secret = secret(value);
					case "--port" -> port = (int) number(name, value, 0, 65535);
					case "--concurrent" -> concurrent = (int) number(name, value, 1, 1000);
					case "--speed" -> speed = speed(value);
					case "--count" -> count = number(name, value, 0, Long.MAX_VALUE);
					case "--seed" -> seed = number(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
					default -> throw new IllegalArgumentException("unknown option '" + name + "'");
				}
			}
			if (archive == null || key == null || secret == null) {
				throw new IllegalArgumentException("--archive, --key and --secret are required");
			}
			return new Arguments(archive, key, secret, port, new Player.Options(concurrent, speed, count, seed));
		}

		private static String url(String value) {
			try {
				URI uri = new URI(value);
				if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
					throw new IllegalArgumentException(
							"--archive '" + value + "' must be an http or https URL, such as http://localhost:8080");
				}
				return value;
			}
			catch (URISyntaxException ex) {
				throw new IllegalArgumentException("--archive '" + value + "' is not a URL: " + ex.getReason());
			}
		}

		private static String required(String name, String value) {
			if (value.isBlank()) {
				throw new IllegalArgumentException(name + " must not be blank");
			}
			return value;
		}

		private static String secret(String value) {
			// What the archive takes as a platform's secret.
			if (value.length() < 16 || value.length() > 200) {
				throw new IllegalArgumentException("--secret must be 16 to 200 characters, not " + value.length());
			}
			return value;
		}

		private static long number(String name, String value, long min, long max) {
			long number;
			try {
				number = Long.parseLong(value.trim().replace("_", ""));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(name + " '" + value + "' is not a whole number");
			}
			if (number < min || number > max) {
				throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", not " + number);
			}
			return number;
		}

		private static double speed(String value) {
			double speed;
			try {
				speed = Double.parseDouble(value.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("--speed '" + value + "' is not a number");
			}
			if (!(speed > 0) || speed > 1000) {
				throw new IllegalArgumentException("--speed must be above 0 and at most 1000, not " + value);
			}
			return speed;
		}

	}

}
