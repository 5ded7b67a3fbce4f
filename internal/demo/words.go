package demo

import (
	"math/rand/v2"
	"strings"
)

// vocabularySize is how many distinct content words generated text draws from.
const vocabularySize = 1500

// campusWords are drawn more often than the rest, so that searches such as "research students"
// match many generated articles.
var campusWords = strings.Fields(`
research students campus library engineering award international conference chemistry
laboratory university faculty professor lecture science scholarship graduate undergraduate
alumni department school institute programme project study studies team teaching learning
innovation sustainability community health medicine physics biology mathematics economics
history philosophy law business design music theatre art arts sport sports athletics
seminar workshop symposium exhibition festival funding grant grants fellowship prize
semester term degree course courses module thesis dissertation doctoral master bachelor
dean president council senate staff researchers scientists engineers partners industry
energy climate water data computing software robotics materials environment ocean city
regional national global students' society network centre center collection archive
discovery experiment analysis results findings publication journal paper papers method
`)

// commonWords fill out the vocabulary with ordinary English.
var commonWords = strings.Fields(`
academic access achievement action activity address advance advice agency agreement aim
annual application approach area argument article aspect assessment assistant association
attention audience authority background balance basis behaviour benefit board book bridge
budget building campaign capacity career case ceremony chair challenge change chapter
character choice circle citizen claim class clinic club coast colleague college comment
commission committee company comparison competition concept concern condition connection
context contract contribution control conversation cooperation country county culture
curriculum customer debate decade decision delivery demand development device dialogue
difference direction director discipline discussion distance district division document
draft economy edition education effect effort election element emphasis employment
encounter engine enterprise entry equipment evaluation event evidence examination example
exchange experience expert exploration expression facility factor family feature field
figure film finance focus force forum foundation framework freedom future gallery garden
generation goal government group growth guest guidance habitat hall heritage hospital
house idea identity image impact improvement income increase index individual influence
information initiative institution instrument interest interview investment issue journey
judgement knowledge landscape language leader leadership legacy level licence life light
literature machine management map market measure meeting member memory mission model
moment movement museum nature need network news notice object opportunity option order
organisation outcome outreach owner panel participant partnership passage patient pattern
performance period perspective phase picture pilot place plan planning platform policy
population portfolio position potential practice presence pressure principle priority
problem process product production profession profile progress promise property proposal
prospect protection public purpose quality question range rate reader reality reason
record recovery reform region relation release report representative reputation request
requirement reserve resource response responsibility review risk road role room round rule
safety sample scale scheme screen sector security selection sense series service session
setting share shift signal site skill solution source space speaker species spirit stage
standard statement station status step story strategy strength structure student style
subject success summary supply support surface survey system table talent target task
technique technology tension territory test text theme theory tool topic tour tradition
training transition transport treatment trend trial trust unit value venue version view
village vision visit voice volume volunteer week welfare window winter workshop world year
accept achieve acquire adapt agree allow announce appear apply appoint arrange assess
attend begin believe build celebrate collect combine complete confirm consider continue
create deliver demonstrate describe design develop discover discuss encourage engage
ensure establish examine expand explain explore extend gather help host identify improve
include increase inspire introduce invite join launch lead learn measure meet mentor
observe offer open organise participate perform plan prepare present produce promote
propose protect provide publish raise reach receive recognise record reduce reflect
register release remain report represent require restore reveal review secure select
share showcase speak strengthen study support sustain teach test train transform travel
understand unveil visit welcome win work write
active advanced annual applied basic broad central civic clear clinical coastal collective
common complex creative critical cultural current digital diverse early economic effective
emerging environmental essential ethical existing expert external final financial formal
former free full general global green historic human independent industrial initial
innovative internal joint key large late leading legal likely local main major medical
modern multiple natural new northern novel official open original outstanding particular
personal physical popular positive practical previous primary private professional public
quick rapid rare recent regional related remote renewable responsible rich rural safe
scientific senior serious significant similar small social special specific strong
successful sustainable technical traditional typical urban various visiting vital wide young
`)

// functionWords join content words into sentences.
var functionWords = strings.Fields(`the the the of of and and to in in for with on at by from a an as its their this that
these into across through after during between about over under within`)

// vocabulary returns campusWords and commonWords, then invented words built from English-like
// syllables until there are vocabularySize distinct words. It is the same on every call.
func vocabulary() []string {
	seen := make(map[string]bool, vocabularySize)
	out := make([]string, 0, vocabularySize)
	add := func(w string) {
		if !seen[w] && len(out) < vocabularySize {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range campusWords {
		add(strings.TrimSuffix(w, "'"))
	}
	for _, w := range commonWords {
		add(w)
	}
	onsets := []string{"b", "br", "c", "cl", "cr", "d", "f", "fr", "g", "gr", "h", "l", "m", "n", "p", "pr", "qu", "r", "s", "st", "t", "tr", "v", "w"}
	vowels := []string{"a", "e", "i", "o", "u", "a", "e", "o", "ea", "ai"}
	middles := []string{"n", "r", "l", "s", "nd", "st", "m", "nt", "ct", "v", "t", "d", "rm", "ns"}
	suffixes := []string{"ion", "al", "ity", "ence", "ance", "ics", "ory", "ure", "ine", "ent", "ive", "ism", "er", "y"}
	r := rand.New(rand.NewPCG(1500, 42))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	for len(out) < vocabularySize {
		w := pick(onsets) + pick(vowels)
		if r.IntN(4) == 0 {
			w += pick(middles)[:1] + pick(vowels)
		}
		add(w + pick(middles) + pick(suffixes))
	}
	return out
}
