// card_load: drives the prepaid-card flow of a running `anxin serve` over HTTP, for the benchmarks
// and the crash and multi-node tests.
//
//   card_load prepare  --port P --cards N --out FILE
//       As the demo staff: creates a card type and a batch of N cards, exports the passwords,
//       issues the stock HQ → BJ → BJ01, registers sales (in chunks), issues and confirms the
//       receipts, so every card is awaiting activation. Writes "serial,password" lines to FILE.
//   card_load activate --port P[,P2...] --cards-file FILE --clients C [--seconds S] [--log FILE]
//                      [--keyed none|half|all]
//       C clients activate distinct cards (each card once, in file order, spread over the ports)
//       until the cards or the time run out. Prints rate and latency percentiles; with --log,
//       appends "serial,status,policy_no,replayed" for every answered request (flushed per line).
//       With --keyed, every card (all) or every other card (half) is sent with the
//       Idempotency-Key "act-<serial>" and the same body each time, so a later run retries it
//       with its key; replayed is 1 when the answer came with Idempotent-Replayed: true.
//   card_load batch --port P --quantity N
//       Creates a card type and one batch of N cards; prints the time the request took.
//   card_load same-card --port P[,P2...] --cards-file FILE --clients C
//       C clients activate the FIRST card of the file at the same moment; prints how many got
//       201 and how many got 409 card_not_activatable, and exits 0 only if exactly one succeeded.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_client.hpp"

namespace {

using anxin::testing::HttpClient;
using anxin::testing::HttpReply;
using nlohmann::json;

constexpr const char* kDemoPassword = "Anxin-demo-2026";

[[noreturn]] void Die(const std::string& what, const HttpReply& reply) {
  std::fprintf(stderr, "card_load: %s: HTTP %d %s\n", what.c_str(), reply.status, reply.body.c_str());
  std::exit(1);
}

std::vector<int> ParsePorts(const std::string& text) {
  std::vector<int> ports;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) ports.push_back(std::stoi(part));
  return ports;
}

class Api {
 public:
  explicit Api(int port) : client_(port) {}

  void Login(const std::string& login) {
    const HttpReply reply =
        client_.SendJson("POST", "/api/v1/sessions", {{"login", login}, {"password", kDemoPassword}});
    if (reply.status != 201) Die("login " + login, reply);
    token_ = reply.Json().at("token").get<std::string>();
  }

  json Call(const std::string& method, const std::string& path, const json& body, int expect) {
    HttpReply reply = body.is_null()
                          ? client_.Send(method, path, "", {{"Authorization", "Bearer " + token_}})
                          : client_.SendJson(method, path, body, {{"Authorization", "Bearer " + token_}});
    if (reply.status != expect) Die(method + " " + path, reply);
    return reply.Json();
  }

  std::string Raw(const std::string& path) {
    HttpReply reply = client_.Send("GET", path, "", {{"Authorization", "Bearer " + token_}});
    if (reply.status != 200) Die("GET " + path, reply);
    return reply.body;
  }

 private:
  HttpClient client_;
  std::string token_;
};

json CreateCardType(Api& hq, const std::string& prefix, const std::string& type_code) {
  return hq.Call("POST", "/api/v1/card-types",
                 {{"code", type_code},
                  {"name", "基准测试卡 " + prefix},
                  {"serial_prefix", prefix},
                  {"product_code", "ACCIDENT_ANNUAL"},
                  {"plan_codes", {"A", "B"}},
                  {"default_plan_code", "A"},
                  {"term", {{"unit", "year"}, {"value", 1}}},
                  {"face_value_fen", 9900},
                  {"validity_days", 365},
                  {"start_rule", "next_day"},
                  {"start_within_days", 0}},
                 201);
}

std::string RandomPrefix() {
  std::mt19937_64 rng(std::random_device{}());
  std::string prefix;
  for (int i = 0; i < 3; ++i) prefix.push_back(static_cast<char>('A' + rng() % 26));
  return prefix;
}

// Creates one batch of `quantity` cards and prints how long the request took.
int Batch(int port, int quantity) {
  const std::string prefix = RandomPrefix();
  Api hq(port);
  hq.Login("doc.hq");
  const json type = CreateCardType(hq, prefix, "B" + prefix);
  const auto start = std::chrono::steady_clock::now();
  hq.Call("POST", "/api/v1/card-batches", {{"card_type_id", type.at("id")}, {"quantity", quantity}}, 201);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("bench: card_batch_%d_seconds %.2f s\n", quantity, seconds);
  std::printf("bench: card_batch_rate %.0f card/s\n", quantity / seconds);
  return 0;
}

int Prepare(int port, int cards, const std::string& out_path) {
  const std::string prefix = RandomPrefix();
  const std::string type_code = "B" + prefix;

  Api hq(port);
  hq.Login("doc.hq");
  const json type = CreateCardType(hq, prefix, type_code);
  const json batch =
      hq.Call("POST", "/api/v1/card-batches", {{"card_type_id", type.at("id")}, {"quantity", cards}}, 201);
  const std::string csv =
      hq.Raw("/api/v1/card-batches/" + batch.at("id").get<std::string>() + "/passwords.csv");
  std::vector<std::string> serials;
  {
    std::ofstream out(out_path);
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      if (line.back() == '\r') line.pop_back();
      out << line << "\n";
      serials.push_back(line.substr(0, line.find(',')));
    }
  }
  if (static_cast<int>(serials.size()) != cards) {
    std::fprintf(stderr, "card_load: export had %zu cards, expected %d\n", serials.size(), cards);
    return 1;
  }
  const std::string first = serials.front();
  const std::string last = serials.back();
  auto move = [&](Api& api, const std::string& recipient) {
    api.Call("POST", "/api/v1/card-movements",
             {{"kind", "issue"},
              {"doc_type_code", type_code},
              {"recipient_type", "org"},
              {"recipient_code", recipient},
              {"first_serial", first},
              {"last_serial", last}},
             201);
  };
  move(hq, "BJ");
  Api bj(port);
  bj.Login("doc.bj");
  move(bj, "BJ01");

  Api inst(port);
  inst.Login("doc.bj01");
  Api cashier(port);
  cashier.Login("cashier.bj01");
  constexpr size_t kChunk = 50;  // under the bulk-registration warning threshold
  for (size_t i = 0; i < serials.size(); i += kChunk) {
    const size_t end = std::min(serials.size(), i + kChunk);
    const json sale = inst.Call("POST", "/api/v1/card-sales",
                                {{"doc_type_code", type_code},
                                 {"seller_org_code", "BJ01"},
                                 {"seller_code", "seller.bj01"},
                                 {"business_source", "direct"},
                                 {"first_serial", serials[i]},
                                 {"last_serial", serials[end - 1]}},
                                201);
    const json receipt = cashier.Call("POST", "/api/v1/receipts", {{"sales_no", sale.at("sales_no")}}, 201);
    cashier.Call("POST", "/api/v1/receipts/" + receipt.at("receipt_no").get<std::string>() + "/confirm",
                 {{"amount_fen", receipt.at("amount_fen")}}, 200);
  }
  std::printf("prepared %d cards of type %s (%s..%s)\n", cards, type_code.c_str(), first.c_str(),
              last.c_str());
  return 0;
}

struct CardCredential {
  std::string serial;
  std::string password;
};

std::vector<CardCredential> ReadCards(const std::string& path) {
  std::vector<CardCredential> cards;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    cards.push_back({line.substr(0, comma), line.substr(comma + 1)});
  }
  return cards;
}

// A valid resident ID for a person born on 1990-MM-DD (GB 11643-1999 check character).
std::string ResidentId(int n) {
  char body[32];
  std::snprintf(body, sizeof body, "11010519900%d%02d%03d", 1 + n % 9, 1 + n % 28, 100 + n % 800);
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + kCheck[sum % 11];
}

json ActivationBody(const CardCredential& card, int n) {
  const std::string id = ResidentId(n);
  const std::string birth = "1990-" + id.substr(10, 2) + "-" + id.substr(12, 2);
  const std::string sex = ((id[16] - '0') % 2 == 1) ? "male" : "female";
  char phone[32];
  std::snprintf(phone, sizeof phone, "139%08d", n % 100000000);
  json person = {{"name", "测试客户"}, {"id_type", "resident_id"},
                 {"id_number", id},    {"birth_date", birth},
                 {"sex", sex},         {"phone", phone}};
  return {{"serial", card.serial},
          {"password", card.password},
          {"plan_code", "A"},
          {"holder", person},
          {"insured_is_holder", true}};
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index =
      std::min(values.size() - 1, static_cast<size_t>(p * static_cast<double>(values.size())));
  return values[index];
}

// Which cards are sent with an Idempotency-Key.
enum class Keyed { kNone, kHalf, kAll };

bool SendsKey(Keyed keyed, size_t index) {
  return keyed == Keyed::kAll || (keyed == Keyed::kHalf && index % 2 == 0);
}

int Activate(const std::vector<int>& ports, const std::string& cards_file, int clients, double seconds,
             const std::string& log_path, Keyed keyed) {
  const std::vector<CardCredential> cards = ReadCards(cards_file);
  std::atomic<size_t> next{0};
  std::atomic<long> ok{0}, refused{0}, failed{0};
  std::mutex mu;
  std::vector<double> latencies;
  std::FILE* log = log_path.empty() ? nullptr : std::fopen(log_path.c_str(), "a");
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(ports[static_cast<size_t>(t) % ports.size()]);
      std::vector<double> mine;
      while (std::chrono::steady_clock::now() < deadline) {
        const size_t i = next.fetch_add(1);
        if (i >= cards.size()) break;
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<std::pair<std::string, std::string>> headers;
        if (SendsKey(keyed, i)) headers.emplace_back("Idempotency-Key", "act-" + cards[i].serial);
        const HttpReply reply = client.SendJson("POST", "/api/v1/card-activations",
                                                ActivationBody(cards[i], static_cast<int>(i)), headers);
        const bool replayed = reply.Header("idempotent-replayed") == "true";
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::string policy_no;
        if (reply.status == 201) {
          ++ok;
          mine.push_back(ms);
          policy_no = reply.Json().value("policy_no", "");
        } else if (reply.status == 409) {
          ++refused;
        } else {
          ++failed;
        }
        if (log != nullptr && reply.status != 0) {
          std::lock_guard<std::mutex> lock(mu);
          std::fprintf(log, "%s,%d,%s,%d\n", cards[i].serial.c_str(), reply.status, policy_no.c_str(),
                       replayed ? 1 : 0);
          std::fflush(log);
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& thread : threads) thread.join();
  if (log != nullptr) std::fclose(log);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("activations: %ld ok, %ld refused, %ld failed in %.2f s\n", ok.load(), refused.load(),
              failed.load(), elapsed);
  std::printf("bench: activation_rate %.0f activation/s\n", static_cast<double>(ok.load()) / elapsed);
  std::printf("bench: activation_p50_ms %.2f ms\n", Percentile(latencies, 0.50));
  std::printf("bench: activation_p99_ms %.2f ms\n", Percentile(latencies, 0.99));
  return 0;
}

int SameCard(const std::vector<int>& ports, const std::string& cards_file, int clients) {
  const std::vector<CardCredential> cards = ReadCards(cards_file);
  if (cards.empty()) return 2;
  std::atomic<int> ok{0}, not_activatable{0}, other{0};
  std::mutex mu;
  std::condition_variable cv;
  bool go = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(ports[static_cast<size_t>(t) % ports.size()]);
      client.Send("GET", "/healthz");  // connect before the start signal
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return go; });
      }
      const HttpReply reply =
          client.SendJson("POST", "/api/v1/card-activations", ActivationBody(cards[0], t));
      if (reply.status == 201) {
        ++ok;
      } else if (reply.status == 409 && reply.Json().value("code", "") == "card_not_activatable") {
        ++not_activatable;
      } else {
        ++other;
        std::fprintf(stderr, "unexpected: %d %s\n", reply.status, reply.body.c_str());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  {
    std::lock_guard<std::mutex> lock(mu);
    go = true;
  }
  cv.notify_all();
  for (auto& thread : threads) thread.join();
  std::printf("same-card: %d activated, %d card_not_activatable, %d other\n", ok.load(),
              not_activatable.load(), other.load());
  return ok == 1 && not_activatable == clients - 1 ? 0 : 1;
}

std::string Arg(int argc, char** argv, const std::string& name, const std::string& fallback = "") {
  for (int i = 2; i + 1 < argc; ++i) {
    if (argv[i] == name) return argv[i + 1];
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: card_load prepare|activate|same-card [options]\n");
    return 2;
  }
  const std::string mode = argv[1];
  const std::vector<int> ports = ParsePorts(Arg(argc, argv, "--port", "8080"));
  if (mode == "prepare") {
    return Prepare(ports.front(), std::stoi(Arg(argc, argv, "--cards", "1000")),
                   Arg(argc, argv, "--out", "cards.csv"));
  }
  if (mode == "activate") {
    const std::string keyed = Arg(argc, argv, "--keyed", "none");
    if (keyed != "none" && keyed != "half" && keyed != "all") {
      std::fprintf(stderr, "card_load: --keyed takes none, half or all\n");
      return 2;
    }
    return Activate(ports, Arg(argc, argv, "--cards-file", "cards.csv"),
                    std::stoi(Arg(argc, argv, "--clients", "64")),
                    std::stod(Arg(argc, argv, "--seconds", "3600")), Arg(argc, argv, "--log"),
                    keyed == "all"    ? Keyed::kAll
                    : keyed == "half" ? Keyed::kHalf
                                      : Keyed::kNone);
  }
  if (mode == "batch") {
    return Batch(ports.front(), std::stoi(Arg(argc, argv, "--quantity", "1000000")));
  }
  if (mode == "same-card") {
    return SameCard(ports, Arg(argc, argv, "--cards-file", "cards.csv"),
                    std::stoi(Arg(argc, argv, "--clients", "64")));
  }
  std::fprintf(stderr, "card_load: unknown mode %s\n", mode.c_str());
  return 2;
}
