package org.conversationarchive.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The gateway's contract as its tests read it: {@code docs/gateway-openapi.yaml}, its one
 * operation, and what a request or an answer breaks of it, checked with a JSON Schema
 * validator of the OpenAPI 3.1 dialect against the schemas in the document itself (no
 * copy of them to drift). Public for the reference platform's contract tests.
 */
public final class GatewayContract {

	public static final Path DOCUMENT = Path.of("docs/gateway-openapi.yaml");

	/** The operation: {@code POST} on the path {@code /} (the org's endpoint). */
	static final String OPERATION = "/paths/~1/post";

	/** What the validator knows the document by; served from memory, never fetched. */
	private static final String IRI = "urn:conversation-archive:gateway-openapi";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JsonNode document;

	private final SchemaRegistry schemas;

	private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

	/**
	 * A request as it arrived.
	 *
	 * @param method its method
	 * @param contentType its {@code Content-Type}, or {@code null}
	 * @param headers its headers, names in lower case
	 * @param body its body
	 */
	public record Request(String method, @Nullable String contentType, Map<String, String> headers, String body) {
	}

	private GatewayContract(JsonNode document) {
		this.document = document;
		// Format is an assertion here: requestedAt a date-time, listenUrl a URI.
		this.schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(),
				(builder) -> builder.schemas(Map.of(IRI, document.toString()))
					.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
	}

	public static GatewayContract load() {
		try {
			Object document = new Yaml(new TextTimestamps()).load(Files.readString(DOCUMENT));
			return new GatewayContract(JSON.valueToTree(document));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public JsonNode document() {
		return this.document;
	}

	JsonNode operation() {
		return this.document.at(OPERATION);
	}

	/**
	 * What an action's body breaks of the request body's schema ({@code Action}).
	 * @param body the body
	 * @return the validator's errors, none when it keeps the contract
	 */
	public List<String> actionProblems(JsonNode body) {
		return problems(OPERATION + "/requestBody/content/application~1json/schema", body);
	}

	/**
	 * What a request breaks of the operation: its method, media type, header parameters
	 * (each against its schema), body, and the rule the description adds: the
	 * {@code Idempotency-Key} is the action's id.
	 * @param request the request
	 * @return what it breaks, none when it keeps the contract
	 */
	public List<String> requestProblems(Request request) {
		List<String> problems = new ArrayList<>();
		if (!request.method().equalsIgnoreCase(OPERATION.substring(OPERATION.lastIndexOf('/') + 1))) {
			problems.add("method " + request.method() + " is not the operation's");
		}
		String mediaType = mediaType(request.contentType());
		if (!operation().path("requestBody").path("content").has(mediaType)) {
			problems.add("content type '" + request.contentType() + "' is not one the request body lists");
		}
		JsonNode parameters = operation().path("parameters");
		for (int i = 0; i < parameters.size(); i++) {
			JsonNode parameter = parameters.get(i);
			if (!parameter.path("in").asString().equals("header")) {
				continue;
			}
			String name = parameter.path("name").asString();
			String value = request.headers().get(name.toLowerCase(Locale.ROOT));
			if (value == null) {
				if (parameter.path("required").asBoolean()) {
					problems.add("no " + name + " header");
				}
				continue;
			}
			JsonNode schema = parameter.path("schema");
			problems.addAll(problems(OPERATION + "/parameters/" + i + "/schema", headerValue(schema, value)).stream()
				.map((problem) -> name + ": " + problem)
				.toList());
		}
		JsonNode body;
		try {
			body = JSON.readTree(request.body());
		}
		catch (JacksonException ex) {
			problems.add("the body is not JSON");
			return problems;
		}
		problems.addAll(actionProblems(body));
		String key = request.headers().get("idempotency-key");
		if (key != null && !key.equals(body.path("actionId").asString(null))) {
			problems.add("the Idempotency-Key is not the body's actionId");
		}
		return problems;
	}

	/**
	 * Whether the operation lists a status among its responses, as itself or in a range
	 * such as {@code 5XX}.
	 */
	public boolean lists(int status) {
		return response(status) != null;
	}

	/**
	 * What an answer breaks of the response the operation lists for its status: a body of
	 * a media type the response describes must fit its schema. A response without
	 * {@code content} leaves the body free (a refusal's reason, say).
	 * @return what it breaks, none when it keeps the contract
	 */
	public List<String> answerProblems(int status, @Nullable String contentType, String body) {
		String key = response(status);
		if (key == null) {
			return List.of("status " + status + " is not a response the operation lists");
		}
		JsonNode content = operation().path("responses").path(key).path("content");
		if (content.isMissingNode()) {
			return List.of();
		}
		String mediaType = mediaType(contentType);
		if (!content.has(mediaType)) {
			return List.of("content type '" + contentType + "' is not one response " + key + " lists");
		}
		try {
			return problems(OPERATION + "/responses/" + key + "/content/" + escape(mediaType) + "/schema",
					JSON.readTree(body));
		}
		catch (JacksonException ex) {
			return List.of("the body is not JSON");
		}
	}

	private @Nullable String response(int status) {
		JsonNode responses = operation().path("responses");
		String exact = Integer.toString(status);
		if (responses.has(exact)) {
			return exact;
		}
		String range = exact.charAt(0) + "XX";
		return responses.has(range) ? range : null;
	}

	private List<String> problems(String pointer, JsonNode instance) {
		Schema schema = this.compiled.computeIfAbsent(pointer,
				(at) -> this.schemas.getSchema(SchemaLocation.of(IRI + "#" + at)));
		return schema.validate(instance).stream().map(Object::toString).toList();
	}

	/**
	 * A header's text as the value its schema describes: a number for a numeric schema
	 * (OpenAPI's simple style), else the string.
	 */
	private static JsonNode headerValue(JsonNode schema, String value) {
		String type = schema.path("type").asString("");
		if (type.equals("integer") || type.equals("number")) {
			try {
				JsonNode number = JSON.readTree(value);
				if (number.isNumber()) {
					return number;
				}
			}
			catch (JacksonException ex) {
				// Not a number: the schema says so.
			}
		}
		return JsonNodeFactory.instance.stringNode(value);
	}

	private static String mediaType(@Nullable String contentType) {
		if (contentType == null) {
			return "";
		}
		int parameters = contentType.indexOf(';');
		return ((parameters < 0) ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
	}

	private static String escape(String token) {
		return token.replace("~", "~0").replace("/", "~1");
	}

	/**
	 * YAML as JSON reads it: an unquoted timestamp stays its text, not a date.
	 */
	private static final class TextTimestamps extends SafeConstructor {

		TextTimestamps() {
			super(new LoaderOptions());
			this.yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
		}

	}

}
