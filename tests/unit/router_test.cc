// The one handler contract (http/router.h): the router signs in every route not marked public
// before its handler runs, passes the actor in, and maps a handler's Error through the one error
// table. No database, no server: the router alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/errors.h"
#include "http/params.h"
#include "http/router.h"

namespace orchard::http {
namespace {

using ::testing::HasSubstr;

HttpRequest Get(std::string target) {
  HttpRequest q;
  q.method = "GET";
  q.target = std::move(target);
  return q;
}

// Signs in a request that carries "authorization: yes" as user 7; refuses any other.
Router SignedInRouter(int* authentications) {
  return Router([authentications](const HttpRequest& q) -> Result<service::Actor> {
    ++*authentications;
    auto it = q.headers.find("authorization");
    if (it == q.headers.end() || it->second != "yes") {
      return Fail(ErrorCode::kUnauthenticated, "sign in first");
    }
    return service::Actor{UserId(7), Role::kAm, {}};
  });
}

TEST(RouterTest, ASignedInRouteRunsOnlyForASignedInCallerAndGetsTheActor) {
  int authentications = 0;
  int ran = 0;
  Router r = SignedInRouter(&authentications);
  r.Add("GET", "/who", [&ran](const HttpRequest&, const service::Actor& who) -> Result<Reply> {
    ++ran;
    Reply reply;
    reply.body = std::to_string(who.user.value);
    return reply;
  });
  HttpRequest anonymous = Get("/who");
  HttpResponse refused = r.Handle(anonymous);
  EXPECT_EQ(refused.status, 401);
  EXPECT_THAT(refused.body, HasSubstr("unauthenticated"));
  EXPECT_EQ(ran, 0) << "the handler never sees an unauthenticated request";

  HttpRequest signed_in = Get("/who");
  signed_in.headers["authorization"] = "yes";
  HttpResponse answered = r.Handle(signed_in);
  EXPECT_EQ(answered.status, 200);
  EXPECT_EQ(answered.body, "7");
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(authentications, 2);
}

TEST(RouterTest, APublicRouteIsNotSignedIn) {
  int authentications = 0;
  Router r = SignedInRouter(&authentications);
  r.Add(
      "GET", "/open", [](const HttpRequest&) -> Result<Reply> { return Reply{}; },
      RouteDoc("open", RouteDoc::Kind::kOther).Public());
  HttpRequest q = Get("/open");
  EXPECT_EQ(r.Handle(q).status, 200);
  EXPECT_EQ(authentications, 0);
}

TEST(RouterTest, ARouteIsPublicByItsDocAndItsHandlerTogether) {
  Router r;
  EXPECT_THROW(r.Add(
                   "GET", "/a", [](const HttpRequest&) -> Result<Reply> { return Reply{}; },
                   RouteDoc("a", RouteDoc::Kind::kOther)),
               std::logic_error)
      << "a handler without an actor on a route not marked public";
  EXPECT_THROW(
      r.Add(
          "GET", "/b",
          [](const HttpRequest&, const service::Actor&) -> Result<Reply> { return Reply{}; },
          RouteDoc("b", RouteDoc::Kind::kOther).Public()),
      std::logic_error)
      << "a signed-in handler on a route marked public";
}

TEST(RouterTest, AHandlersErrorTakesItsStatusFromTheOneTable) {
  Router r([](const HttpRequest&) -> Result<service::Actor> { return service::Actor{}; });
  struct Case {
    ErrorCode code;
    int status;
    std::string name;  // the error body's code, as clients have always read it
  };
  const Case cases[] = {{ErrorCode::kInvalidArgument, 400, "invalid_argument"},
                        {ErrorCode::kInvalidValue, 422, "invalid_value"},
                        {ErrorCode::kResourceExhausted, 413, "resource_exhausted"},
                        {ErrorCode::kTooManyRequests, 429, "resource_exhausted"},
                        {ErrorCode::kUnsupportedMediaType, 415, "invalid_argument"},
                        {ErrorCode::kConflict, 409, "conflict"}};
  for (const Case& c : cases) {
    std::string path = "/fail" + std::to_string(c.status);
    r.Add("GET", path, [code = c.code](const HttpRequest&, const service::Actor&) -> Result<Reply> {
      return Fail(code, "no");
    });
    HttpRequest q = Get(path);
    HttpResponse res = r.Handle(q);
    EXPECT_EQ(res.status, c.status) << c.name;
    auto body = boost::json::parse(res.body).as_object();
    EXPECT_EQ(body.at("error").at("code").as_string(), c.name) << c.status;
  }
}

TEST(QueryParamsTest, OnlyNamesTheFirstUnknownParameterAndTheKnownOnes) {
  HttpRequest q = Get("/x?limit=5&colour=red");
  q.query = {{"limit", "5"}, {"colour", "red"}};
  QueryParams params(q);
  auto only = params.Only("the list", {"limit", "cursor"});
  ASSERT_FALSE(only);
  EXPECT_EQ(only.error().fields.at(0).field, "colour");
  EXPECT_THAT(only.error().message, HasSubstr("the list takes limit, cursor"));
  EXPECT_EQ(*params.Int("limit", 1, 10), 5);
  auto big = params.Int("limit", 1, 3);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().fields.at(0).field, "limit");
}

}  // namespace
}  // namespace orchard::http
