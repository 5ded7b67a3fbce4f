package web

// The templates headTags, breadcrumbTag, articleMain and homeMain replaced, as they were: the tests
// below hold the Go writers to their bytes. (The related cards, once one joined string, are now
// a list the main template ranges over.)

const headTemplate = `{{define "headtags"}}{{$b := .}}<meta name="description" content="{{$b.Description}}">
{{if $b.NoIndex}}<meta name="robots" content="noindex">{{end}}
{{if $b.Canonical}}<link rel="canonical" href="{{$b.Canonical}}">{{end}}
<meta property="og:site_name" content="{{$b.Site.Name}}">
<meta property="og:title" content="{{if $b.Title}}{{$b.Title}}{{else}}{{$b.Site.Name}}{{end}}">
<meta property="og:description" content="{{$b.Description}}">
<meta property="og:type" content="{{if $b.OGType}}{{$b.OGType}}{{else}}website{{end}}">
{{if $b.Canonical}}<meta property="og:url" content="{{$b.Canonical}}">{{end}}
{{if $b.OGImage}}<meta property="og:image" content="{{$b.OGImage}}">
{{if $b.OGImageWidth}}<meta property="og:image:width" content="{{$b.OGImageWidth}}">
<meta property="og:image:height" content="{{$b.OGImageHeight}}">
{{end}}{{with $b.OGImageAlt}}<meta property="og:image:alt" content="{{.}}">
<meta name="twitter:image:alt" content="{{.}}">
{{end}}{{end}}<meta name="twitter:card" content="{{if $b.OGImage}}summary_large_image{{else}}summary{{end}}">
{{range $b.Feeds}}<link rel="alternate" type="application/atom+xml" title="{{.Title}}" href="{{.URL}}">
{{end}}{{range $b.Calendars}}<link rel="alternate" type="text/calendar" title="{{.Title}}" href="{{.URL}}">
{{end}}<link rel="stylesheet" href="{{asset "css/site.css"}}">
<link rel="icon" href="{{asset "img/favicon.svg"}}" type="image/svg+xml">
{{if $b.JSONLD}}<script type="application/ld+json">{{$b.JSONLD}}</script>{{end}}{{end}}`

const articleMainTemplate = `{{define "main"}}<div class="wrap article-wrap">
  {{template "breadcrumb" .Base}}
  <article class="article" aria-labelledby="article-title">
    <header class="article-head">
      <p class="kicker"><a href="{{.CategoryURL}}">{{.CategoryName}}</a></p>
      <h1 id="article-title">{{.Article.Title}}</h1>
      {{if .ShowSummary}}<p class="standfirst">{{.Article.Summary}}</p>{{end}}
      <dl class="article-meta">
        {{if not .Published.IsZero}}<div><dt>Published</dt><dd><time datetime="{{isodate .Published}}">{{date .Published}}</time></dd></div>{{end}}
        {{if .Article.Source}}<div><dt>Source</dt><dd>{{.Article.Source}}</dd></div>{{end}}
        {{if .Article.Author}}<div><dt>Author</dt><dd>{{.Article.Author}}</dd></div>{{end}}
        {{if .Article.Photographer}}<div><dt>Photos</dt><dd>{{.Article.Photographer}}</dd></div>{{end}}
        {{if .Article.Editor}}<div><dt>Editor</dt><dd>{{.Article.Editor}}</dd></div>{{end}}
        <div><dt>Views</dt><dd>{{.Views}}</dd></div>
      </dl>
    </header>
    {{with .Event}}<section class="event-box" aria-labelledby="event-h">
      <h2 id="event-h">When and where</h2>
      {{if .Over}}<p class="event-state">This event has ended.</p>{{else if .Now}}<p class="event-state">Happening now.</p>{{end}}
      <dl class="event-facts">
        <div><dt>When</dt><dd>{{.When}}</dd></div>
        {{if .Venue}}<div><dt>Where</dt><dd>{{.Venue}}</dd></div>{{end}}
        {{if .OnlineURL}}<div><dt>Online</dt><dd><a href="{{.OnlineURL}}">{{.OnlineLabel}}</a></dd></div>{{end}}
        {{if .RegistrationURL}}<div><dt>Registration</dt><dd><a href="{{.RegistrationURL}}">{{.RegistrationLabel}}</a></dd></div>{{end}}
      </dl>
      <p class="event-actions">{{if not .Over}}<a class="button" href="{{.CalendarURL}}" type="text/calendar">Add to calendar</a> {{end}}<a href="/events">All upcoming events</a></p>
    </section>{{end}}
    {{with .Cover}}<figure class="article-cover">
      <img src="{{.Src}}"{{if .SrcSet}} srcset="{{.SrcSet}}" sizes="{{.Sizes}}"{{end}} width="{{.Width}}" height="{{.Height}}" alt="{{.Alt}}">
      {{if or .Caption .Credit}}<figcaption>{{.Caption}}{{with .Credit}} <span class="credit">{{creditLine .}}</span>{{end}}</figcaption>{{end}}
    </figure>{{end}}
    <div class="article-body">{{.Body}}</div>
    <p class="print-only print-source">{{.Base.Site.Name}} · {{.Base.Canonical}}</p>
    {{if .Article.Tags}}<footer class="article-tags"><h2 class="visually-hidden">Topics</h2><ul class="tag-list">{{range .Article.Tags}}<li><a href="/tags/{{.Slug}}" rel="tag">{{.Name}}</a></li>{{end}}</ul></footer>{{end}}
  </article>
  {{if or .Prev .Next}}<nav class="prev-next" aria-label="More in {{.CategoryName}}">
    {{with .Prev}}<a class="prev" href="{{.URL}}" rel="prev"><span>Previous</span>{{.Title}}</a>{{end}}
    {{with .Next}}<a class="next" href="{{.URL}}" rel="next"><span>Next</span>{{.Title}}</a>{{end}}
  </nav>{{end}}
  {{if .RelatedCards}}<section class="related" aria-labelledby="related-h">
    <h2 id="related-h">Related news</h2>
    <div class="card-grid">{{range .RelatedCards}}{{.}}{{end}}</div>
  </section>{{end}}
</div>{{end}}
{{define "breadcrumb"}}{{if .Breadcrumb}}<nav class="breadcrumb" aria-label="Breadcrumb"><ol>
{{range $i, $c := .Breadcrumb}}<li>{{if $c.URL}}<a href="{{$c.URL}}">{{$c.Name}}</a>{{else}}<span aria-current="page">{{$c.Name}}</span>{{end}}</li>
{{end}}</ol></nav>{{end}}{{end}}`

const homeMainTemplate = `{{define "main"}}<div class="wrap home">
  <h1 class="visually-hidden">{{.Base.Site.Name}}</h1>
  {{/* The first screen: the lead story with its photo; beside it on a desktop, and under it on
       a phone, the notices and the other headlines, in the order a screen reader reads them. */}}
  {{if or .Lead .Notices .Headlines}}<div class="front">
    {{with .Lead}}<article class="lead-story {{if .Cover}}has-photo{{else}}no-photo{{end}}" aria-labelledby="lead-h">
      {{if .CategoryName}}<p class="kicker"><a href="{{.CategoryURL}}">{{.CategoryName}}</a></p>{{end}}
      <h2 class="lead-title" id="lead-h"><a href="{{.URL}}">{{.Title}}</a></h2>
      {{if .Summary}}<p class="lead-summary">{{.Summary}}</p>{{end}}
      <p class="card-meta"><time datetime="{{isodate .Published}}">{{date .Published}}</time></p>
      {{with .Cover}}{{template "photo" .}}{{end}}
    </article>{{end}}
    {{if .Notices}}<section class="notices" aria-labelledby="notices-h">
      <h2 id="notices-h">Notices</h2>
      <ul>{{range .Notices}}<li><a href="{{.URL}}">{{.Title}}</a> <time datetime="{{isodate .Published}}">{{date .Published}}</time></li>{{end}}</ul>
      {{with .NoticesURL}}<p class="more-link"><a href="{{.}}">All notices ›</a></p>{{end}}
    </section>{{end}}
    {{if .Headlines}}<section class="top-stories" aria-labelledby="top-h">
      <h2 id="top-h">Top stories</h2>
      {{range .Headlines}}{{template "card" .}}{{end}}
    </section>{{end}}
  </div>{{end}}

  <div class="home-sections">
    {{range .Sections}}<section class="section-block" aria-labelledby="sec-{{.URL}}">
      <div class="section-head"><h2 id="sec-{{.URL}}"><a href="{{.URL}}">{{.Name}}</a></h2><a class="more" href="{{.URL}}">More from {{.Name}} ›</a></div>
      <div class="card-grid">{{range .Articles}}{{template "card" .}}{{end}}</div>
    </section>{{else}}{{if not .Lead}}<p class="empty">No news has been published yet.</p>{{end}}{{end}}
  </div>
  <aside class="home-aside">
    {{if .Tags}}<section class="topics" aria-labelledby="topics-h">
      <h2 id="topics-h">Topics</h2>
      <ul class="tag-list">{{range .Tags}}<li><a href="/tags/{{.Slug}}">{{.Name}}</a></li>{{end}}</ul>
    </section>{{end}}
    <section class="follow" aria-labelledby="follow-h">
      <h2 id="follow-h">Follow the news</h2>
      <p><a href="/feed.atom">Subscribe to the Atom feed</a> or browse the <a href="/archive">archive</a>.</p>
    </section>
  </aside>
</div>{{end}}
{{define "card"}}{{cardTag .}}{{end}}{{define "photo"}}{{photoTag .}}{{end}}`
